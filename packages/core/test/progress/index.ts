import { onProgressSuite } from './on-progress.js';
import { plainSuite } from './plain.js';
import type { ProgressBackend } from './run.js';
import { terminalSuite } from './terminal.js';

export type { ProgressBackend } from './run.js';

/** Progress as a user sees it (bar, plain lines, onProgress), written once and run per backend. */
export function progressSuite(backend: ProgressBackend): void {
  terminalSuite(backend);
  plainSuite(backend);
  onProgressSuite(backend);
}
