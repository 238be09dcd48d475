import { type SendProbe, serializeError } from '../errors/data.js';
import type { DoneMessage, ErrorAt } from '../protocol.js';

/**
 * A reply that could not be serialized, made sendable: the results that cannot be sent fail, each
 * with the reason, and the rest go as they are (`probe` finds them). If the probe finds none, every
 * item of the batch fails with the channel's reason: a reply is never lost.
 */
export function piecewise(msg: DoneMessage, error: unknown, probe: SendProbe): DoneMessage {
  const values = [...msg.values];
  const thrown: ErrorAt[] = [...(msg.thrown ?? [])];
  let found = false;
  for (let i = 0; i < values.length; i++) {
    const reason = probe(values[i]);
    if (reason === undefined) continue;
    found = true;
    values[i] = undefined;
    const cannot = new TypeError(`the result of this item cannot be sent back from the worker: ${reason}`);
    thrown.push([i, serializeError(cannot)]);
  }
  if (found) return { ...msg, values, thrown: thrown.sort((a, b) => a[0] - b[0]) };
  const reason = error instanceof Error ? error.message : String(error);
  const all: ErrorAt[] = values.map((_, i) => [
    i,
    serializeError(new TypeError(`the results of this batch cannot be sent back from the worker: ${reason}`)),
  ]);
  return { type: 'done', batch: msg.batch, values: new Array(values.length), thrown: all };
}
