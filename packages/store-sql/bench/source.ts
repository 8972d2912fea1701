// Runs the workspace's TypeScript sources under Node's type stripping: `--conditions=@openrcm/source` points the
// packages' exports at src/*.ts, whose relative imports name the built file (`./Store.js`); this hook tries the
// `.ts` beside it when the `.js` does not exist. Used as `node --conditions=@openrcm/source --import ./bench/source.ts`.
import { registerHooks } from "node:module"

registerHooks({
  resolve: (specifier, context, nextResolve) => {
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      const code = (error as { readonly code?: unknown }).code
      if (code !== "ERR_MODULE_NOT_FOUND" || !specifier.startsWith(".") || !specifier.endsWith(".js")) throw error
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context)
    }
  }
})
