export { createProgram, runCli } from './program';
export { processIo } from './io';
export type { CliIo } from './io';
