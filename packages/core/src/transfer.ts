import type { TransferListItem } from 'node:worker_threads';

const mark = Symbol.for('mtl.transfer');

/** A value to move rather than copy, with the buffers to move. What `transfer()` returns. */
export interface Moved {
  readonly [mark]: true;
  readonly value: unknown;
  readonly list: readonly TransferListItem[];
}

const defaultList = (value: unknown): TransferListItem[] => {
  if (ArrayBuffer.isView(value)) return [value.buffer as ArrayBuffer];
  if (value instanceof ArrayBuffer) return [value];
  if (typeof value === 'object' && value !== null && 'postMessage' in value) return [value as TransferListItem];
  throw new TypeError(
    'transfer(value): give the buffers to move as the second argument when the value is not an ArrayBuffer, a typed array or a MessagePort',
  );
};

/**
 * Moves `value` to the other side instead of copying it: an ArrayBuffer, a typed array (its buffer), a
 * MessagePort, or any value with the buffers to move listed (`transfer(obj, [obj.a.buffer])`). As an
 * item (in the caller) or as a result (returned in a worker). On @mtl/threads the bytes are not copied
 * and the sender's view is left empty (detached): do not use it after. Elsewhere the value is copied as
 * usual. Types stay what they were: `transfer(array)` is typed as `array`.
 *
 * @example
 * const out = await pqdm(images.map((pixels) => transfer(pixels)), blur, 4);
 * // in a worker: return transfer(new Float64Array(result));
 */
export function transfer<T>(value: T, list?: readonly TransferListItem[]): T {
  return { [mark]: true, value, list: list ?? defaultList(value) } satisfies Moved as unknown as T;
}

/** Whether a value is what `transfer()` made. */
export const isMoved = (value: object): value is Moved => (value as { [mark]?: unknown })[mark] === true;
