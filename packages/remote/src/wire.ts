// The wire between the caller and a remote worker, used by both sides: a fixed-size hello that
// authenticates the connection, then frames of a 4-byte big-endian length and a v8-serialized message.
// The worker side runs user code that may break globals (Array.prototype.push), so this file uses
// only what it captured at load and indexed writes.
import { DefaultSerializer, deserialize } from 'node:v8';
import { probeWith, refuseSharedMemory } from '@mtl/core/runtime';

const BufferClass = Buffer;
const concat = Buffer.concat.bind(Buffer);
const writeHostObject = (DefaultSerializer.prototype as unknown as { _writeHostObject(object: ArrayBufferView): void })
  ._writeHostObject;

/**
 * Node's v8 serializer, which would copy a typed array over shared memory without a word (the
 * SharedArrayBuffer itself it refuses): here it says that memory cannot be shared with another process.
 */
class Serializer extends DefaultSerializer {
  // Node's hook for typed arrays and Buffers, which its types leave out.
  _writeHostObject(object: ArrayBufferView): void {
    refuseSharedMemory(object);
    writeHostObject.call(this, object);
  }
}
const HEADER = Buffer.alloc(4);
const deserializeValue = deserialize;

/** TCP keep-alive on both sides' connections: a host that vanishes without a word is noticed. */
export const KEEPALIVE_MS = 10_000;

/** The random secret of a pool, which every worker of it presents. */
export const TOKEN_BYTES = 32;

/** What a connection is for: the runtime's messages, or the watchdog that kills the worker when it closes. */
export type Channel = typeof MESSAGES | typeof WATCHDOG;
export const MESSAGES = 0;
export const WATCHDOG = 1;

const MAGIC = 0x4d544c01; // "MTL" and the version of this wire
/** magic (4) · channel (1) · slot (4) · launch (4) · token (32) */
export const HELLO_BYTES = 4 + 1 + 4 + 4 + TOKEN_BYTES;

export interface Hello {
  channel: Channel;
  slot: number;
  launch: number;
  token: Buffer;
}

/** The first bytes a worker sends on each connection. */
export function writeHello({ channel, slot, launch, token }: Hello): Buffer {
  const hello = BufferClass.alloc(HELLO_BYTES);
  hello.writeUInt32BE(MAGIC, 0);
  hello.writeUInt8(channel, 4);
  hello.writeUInt32BE(slot, 5);
  hello.writeUInt32BE(launch, 9);
  token.copy(hello, 13);
  return hello;
}

/** Reads a hello; undefined when the bytes are not one (another protocol, another version). */
export function readHello(bytes: Buffer): Hello | undefined {
  if (bytes.length !== HELLO_BYTES || bytes.readUInt32BE(0) !== MAGIC) return undefined;
  const channel = bytes.readUInt8(4);
  if (channel !== MESSAGES && channel !== WATCHDOG) return undefined;
  return { channel, slot: bytes.readUInt32BE(5), launch: bytes.readUInt32BE(9), token: bytes.subarray(13) };
}

/**
 * A message as one frame, its length written in front of what `v8.serialize` makes, in one buffer:
 * one write, which a stream that is not busy passes to the socket as it is (a corked or buffered write
 * would go through `Array.prototype.push`, which a task may have broken). Throws, having written
 * nothing, when the message cannot be serialized.
 */
export function frame(message: unknown): Buffer {
  const serializer = new Serializer();
  serializer.writeRawBytes(HEADER);
  serializer.writeHeader();
  serializer.writeValue(message);
  const bytes = serializer.releaseBuffer();
  bytes.writeUInt32BE(bytes.length - 4, 0);
  return bytes;
}

/** Why a value cannot cross the wire, or undefined (the transport's `canSend`, on both sides). */
export const wireProbe: (value: unknown) => string | undefined = probeWith(frame);

/** Cuts a byte stream into messages. Frames that arrive whole are read in place; split ones are joined once. */
export class FrameReader {
  #parts: Buffer[] = [];
  #got = 0;
  /** The size of the frame being joined, header included; 0 while its header is incomplete. */
  #need = 0;

  #broken = false;

  /** `onCorrupt`: a frame could not be read; the stream is not read further. */
  constructor(
    readonly onMessage: (message: unknown) => void,
    readonly onCorrupt: (error: unknown) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.#broken) return;
    if (this.#got > 0) {
      this.#parts[this.#parts.length] = chunk;
      this.#got += chunk.length;
      if (this.#need === 0 && this.#got >= 4) this.#need = 4 + concat(this.#parts, this.#got).readUInt32BE(0);
      if (this.#need === 0 || this.#got < this.#need) return;
      chunk = concat(this.#parts, this.#got);
      this.#parts = [];
      this.#got = 0;
      this.#need = 0;
    }
    let at = 0;
    while (chunk.length - at >= 4) {
      const end = at + 4 + chunk.readUInt32BE(at);
      if (end > chunk.length) break;
      const body = chunk.subarray(at + 4, end);
      at = end;
      let message: unknown;
      try {
        message = deserializeValue(body);
      } catch (error) {
        this.#broken = true;
        this.onCorrupt(error);
        return;
      }
      this.onMessage(message);
    }
    if (at === chunk.length) return;
    const rest = chunk.subarray(at);
    this.#parts = [rest];
    this.#got = rest.length;
    this.#need = rest.length >= 4 ? 4 + rest.readUInt32BE(0) : 0;
  }
}
