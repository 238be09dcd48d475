// The worker module of hash-files.mjs: one Hasher per worker, built once, then called per file.
// It has no top-level side effects, so a worker can import it safely.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { threadId } from 'node:worker_threads';

export class Hasher {
  constructor(algorithm) {
    createHash(algorithm); // throws here, once per worker, if this Node has no such algorithm
    this.algorithm = algorithm;
    this.files = 0;
    this.bytes = 0;
  }

  async call(path) {
    const hash = createHash(this.algorithm);
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk);
      this.bytes += chunk.length;
    }
    this.files++;
    return { path, digest: hash.digest('hex') };
  }

  close() {
    process.stderr.write(`worker ${process.pid}/${threadId}: ${this.files} files, ${this.bytes} bytes\n`);
  }
}
