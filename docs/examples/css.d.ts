// A bundler (Vite, webpack, Next) handles the kit's stylesheet imports; TypeScript only needs to know they exist.
declare module "*.css"
