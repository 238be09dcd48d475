import { serialize } from 'node:v8';
import type { SendProbe } from './errors/data.js';

/** A probe: why `encode` cannot serialize a value, or undefined when it can. */
export const probeWith =
  (encode: (value: unknown) => unknown): SendProbe =>
  (value) => {
    try {
      encode(value);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };

/** Structured clone, the serialization of worker threads. */
export const cloneProbe = probeWith(structuredClone);

/**
 * The V8 serializer, that of `serialization: 'advanced'` IPC and of sockets: unlike a thread's structured
 * clone, it refuses what cannot leave the process (a SharedArrayBuffer, a MessagePort).
 */
export const v8Probe = probeWith(serialize);

/** JSON, the serialization of `serialization: 'json'` IPC. */
export const jsonProbe = probeWith(JSON.stringify);
