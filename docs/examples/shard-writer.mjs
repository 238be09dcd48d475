// The worker module of stateful.mjs: each worker appends its items to a file of its own.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

export class ShardWriter {
  constructor(path) {
    this.path = path;
    this.out = createWriteStream(path); // opened once per worker, not once per item
  }

  call(word) {
    this.out.write(`${word}\n`);
    return this.path;
  }

  /** Runs when the worker stops; `await pqdm(...)` settles after it, so the files are complete. */
  async close() {
    this.out.end();
    await once(this.out, 'finish');
  }
}
