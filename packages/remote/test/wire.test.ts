import { describe, expect, it } from 'vitest';
import { FrameReader, frame, HELLO_BYTES, readHello, WATCHDOG, wireProbe, writeHello } from '../src/wire.js';

const messages = [
  { type: 'ready' },
  { type: 'done', batch: 7, values: [1, 'two', new Map([[3, 4]])] },
  { big: new Float64Array(5000) },
];

function read(chunks: Buffer[]) {
  const got: unknown[] = [];
  const corrupt: unknown[] = [];
  const reader = new FrameReader(
    (message) => got.push(message),
    (error) => corrupt.push(error),
  );
  for (const chunk of chunks) reader.push(chunk);
  return { got, corrupt };
}

describe('the wire', () => {
  it('reads frames back whole however the stream cuts them', () => {
    const stream = Buffer.concat(messages.map(frame));
    expect(read([stream]).got).toEqual(messages);
    // every cut into two pieces near the frame boundaries, and one byte at a time
    for (const cut of [1, 3, 4, 5, frame(messages[0]).length, stream.length - 1]) {
      expect(read([stream.subarray(0, cut), stream.subarray(cut)]).got).toEqual(messages);
    }
    expect(read([...stream].map((byte) => Buffer.of(byte))).got).toEqual(messages);
  });

  it('a frame that cannot be read stops the stream and says so, without throwing', () => {
    const garbage = Buffer.concat([Buffer.from([0, 0, 0, 3, 0xff, 0x00, 0x99]), frame({ type: 'ready' })]);
    const { got, corrupt } = read([garbage]);
    expect(got).toEqual([]);
    expect(corrupt).toHaveLength(1);
  });

  it('refuses what cannot cross, before writing anything: a function, shared memory', () => {
    expect(wireProbe({ a: 1 })).toBeUndefined();
    expect(wireProbe(() => 1)).toMatch(/could not be cloned/);
    expect(wireProbe(new SharedArrayBuffer(4))).toMatch(/could not be cloned/);
    expect(wireProbe(new Int32Array(new SharedArrayBuffer(4)))).toMatch(/cannot be shared with a worker process/);
  });

  it('a hello is fixed-size, and anything else is not one', () => {
    const token = Buffer.alloc(32, 7);
    const hello = writeHello({ channel: WATCHDOG, slot: 3, launch: 9, token });
    expect(hello.length).toBe(HELLO_BYTES);
    expect(readHello(hello)).toEqual({ channel: WATCHDOG, slot: 3, launch: 9, token });
    expect(readHello(Buffer.alloc(HELLO_BYTES))).toBeUndefined();
    const otherChannel = Buffer.from(hello);
    otherChannel[4] = 2;
    expect(readHello(otherChannel)).toBeUndefined();
  });
});
