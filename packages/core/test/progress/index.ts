import { onProgressSuite } from './on-progress.js';
import { optionsSuite } from './options.js';
import { plainSuite } from './plain.js';
import type { ProgressBackend } from './run.js';
import { terminalSuite } from './terminal.js';
import { widthSuite } from './width.js';
import { writeSuite } from './write.js';

export type { ProgressBackend } from './run.js';

/** Progress as a user sees it (bar, width, options, write, plain lines, onProgress), written once and run per backend. */
export function progressSuite(backend: ProgressBackend): void {
  terminalSuite(backend);
  widthSuite(backend);
  optionsSuite(backend);
  writeSuite(backend);
  plainSuite(backend);
  onProgressSuite(backend);
}
