import type { BackendUnderTest } from './backend.js';
import { chaosSuite } from './chaos.js';
import { errorsSuite } from './errors.js';
import { faultsSuite } from './faults.js';
import { lifecycleSuite } from './lifecycle.js';
import { messagesLimitsCheckpointsSuite } from './messages-limits-checkpoints.js';
import { orderingSuite, valuesSuite } from './ordering.js';
import { retryAndPacingSuite } from './retry-and-pacing.js';
import { statefulSuite } from './stateful.js';

export type { BackendUnderTest } from './backend.js';

/** The behaviour every backend must show, written once and run per backend. */
export function conformance(backend: BackendUnderTest): void {
  orderingSuite(backend);
  valuesSuite(backend);
  statefulSuite(backend);
  errorsSuite(backend);
  lifecycleSuite(backend);
  faultsSuite(backend);
  chaosSuite(backend);
  retryAndPacingSuite(backend);
  messagesLimitsCheckpointsSuite(backend);
}
