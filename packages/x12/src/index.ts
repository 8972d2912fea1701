export * as Envelope from "./Envelope.js"
export * as Problem from "./Problem.js"
export * as Reader from "./Reader.js"
export * as Segments from "./Segments.js"
