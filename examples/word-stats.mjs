// A stateful worker for the demo: each worker loads its own "model" once (here: a stop-word list
// and a slow start, standing in for weights or a connection), then scores lines of text.
import { setTimeout as sleep } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';

export class WordStats {
  static async create(workerId, loadMs) {
    await sleep(loadMs); // an expensive, asynchronous load, done once per worker
    return new WordStats(workerId, new Set(['the', 'a', 'an', 'and', 'or', 'of', 'to', 'in', 'is', 'it']));
  }

  constructor(workerId, stopWords) {
    this.workerId = workerId;
    this.stopWords = stopWords;
    this.lines = 0;
  }

  call(line) {
    this.lines++;
    const words = line.toLowerCase().match(/[a-z']+/g) ?? [];
    const content = words.filter((w) => !this.stopWords.has(w));
    return { worker: this.workerId, thread: threadId, words: words.length, content: content.length };
  }

  close() {
    process.stdout.write(`  worker ${this.workerId} (thread ${threadId}) scored ${this.lines} lines\n`);
  }
}

export const createWordStats = (workerId, loadMs) => WordStats.create(workerId, loadMs);
