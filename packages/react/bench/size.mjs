// The kit's weight in a host app, minified and gzipped: an app that imports only SessionTracker (tree-shaking
// must leave the rest out) against one that imports the whole kit. Measured on the built package (`pnpm build`
// first), as a host's bundler would see it. Two figures each: the kit alone (react, react-dom, effect and
// @openrcm/core left to the host, which has them anyway) and the whole app with everything bundled.
import { gzipSync } from "node:zlib"
import { build } from "esbuild"

const apps = {
  "SessionTracker only": `import { SessionTracker } from "@openrcm/react"; export default SessionTracker`,
  "Dashboard only": `import { Dashboard } from "@openrcm/react"; export default Dashboard`,
  "the whole kit": `import * as Kit from "@openrcm/react"; export default Kit`
}

const sizeOf = async (source, external) => {
  const result = await build({
    stdin: { contents: source, resolveDir: import.meta.dirname, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    external,
    // What a production build of a host sees.
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "error"
  })
  const code = result.outputFiles[0].contents
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`
const rows = []
for (const [name, source] of Object.entries(apps)) {
  const kit = await sizeOf(source, ["react", "react-dom", "react/jsx-runtime", "effect", "effect/*", "@openrcm/core"])
  const app = await sizeOf(`${source}; import "react-dom/client"`, [])
  rows.push({ app: name, "kit min": kb(kit.minified), "kit min+gz": kb(kit.gzipped), "app min+gz": kb(app.gzipped) })
}
console.table(rows)
const only = rows[0]
const whole = rows[2]
console.log(`SessionTracker-only kit code is ${only["kit min+gz"]} of the whole kit's ${whole["kit min+gz"]} (min+gz).`)
