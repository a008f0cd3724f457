/**
 * Re-exports for modules not yet moved to the split files (input.ts, sink.ts, lines.ts); kept
 * only so concurrent branches merge. New code imports from the split files.
 */
export { fileInput, stdinInput, textInput, Replayable, spill, skipLines, type Input } from './input.js';
export { Sink, FileOutput, PipeClosed } from './sink.js';
export { decodeUtf8, lines, type Line } from './lines.js';
