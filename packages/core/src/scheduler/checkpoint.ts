import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { ResolvedCheckpoint } from '../options/checkpoint.js';
import type { ErrorAt } from '../protocol.js';

const HEADER = '{"mtl":"checkpoint","version":1}';

/**
 * A map's checkpoint file: JSON lines, a header and then one `{"k": key, "v": value}` per finished
 * item, the value V8-serialized in base64 (so that a Map, a Date or a typed array comes back as it
 * was). Append-only: a caller killed mid-write leaves at most one partial last line, which is skipped.
 */
export class Checkpoint {
  #stored = new Map<string, string>();
  #fd: number;

  constructor(readonly options: ResolvedCheckpoint) {
    const { file } = options;
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const lines = text.split('\n');
    if (text.length > 0 && lines[0] !== HEADER) {
      throw new Error(
        `checkpoint: ${file} is not an mtl checkpoint file (its first line is not ${HEADER}); give another file`,
      );
    }
    for (let i = 1; i < lines.length; i++) {
      try {
        const { k, v } = JSON.parse(lines[i]) as { k: string; v: string };
        if (typeof k === 'string' && typeof v === 'string') this.#stored.set(k, v);
      } catch {}
    }
    this.#fd = openSync(file, 'a');
    // A partial last line (a crash mid-write) must not glue onto the next one.
    if (text.length === 0) writeSync(this.#fd, `${HEADER}\n`);
    else if (!text.endsWith('\n')) writeSync(this.#fd, '\n');
  }

  /** The key of an item, as the map names it. */
  keyOf(item: unknown, index: number): string {
    return this.options.key(item, index);
  }

  has(key: string): boolean {
    return this.#stored.has(key);
  }

  /** The stored result of an item, if a run before finished it. */
  lookup(key: string): { value: unknown } | undefined {
    const stored = this.#stored.get(key);
    return stored === undefined ? undefined : { value: deserialize(Buffer.from(stored, 'base64')) };
  }

  /** Appends finished results, in one write. A value V8 cannot serialize is not stored (it runs again next time). */
  record(keys: string[], values: unknown[]): void {
    let lines = '';
    for (let i = 0; i < keys.length; i++) {
      let encoded: string;
      try {
        encoded = serialize(values[i]).toString('base64');
      } catch {
        continue;
      }
      lines += `${JSON.stringify({ k: keys[i], v: encoded })}\n`;
    }
    if (lines) writeSync(this.#fd, lines);
  }

  /** Records the items of a batch that did not throw (`thrown`: the positions that did, in order). */
  recordBatch(keys: string[], values: unknown[], thrown: readonly ErrorAt[] | undefined): void {
    const done: string[] = [];
    const results: unknown[] = [];
    let e = 0;
    for (let i = 0; i < values.length; i++) {
      if (thrown && e < thrown.length && thrown[e][0] === i) e++;
      else {
        done.push(keys[i]);
        results.push(values[i]);
      }
    }
    this.record(done, results);
  }

  close(): void {
    closeSync(this.#fd);
  }
}
