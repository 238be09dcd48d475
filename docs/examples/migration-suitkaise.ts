// The Suitkaise section of migration-guide.md, run by the test suite.
// Usage: npx tsx docs/examples/migration-suitkaise.ts
import { delayedInit, Pool } from '@mtl/processes';

/** In scope inside a worker for a class sent as source text. */
declare const emit: (value: unknown) => void;

// An Skprocess that takes words from the parent and tells scores back, as a delayedInit class.
class Scorer {
  weight: number;
  scored = 0;
  failedOnce = false;
  constructor(weight: number) {
    this.weight = weight; // __init__, run once in the worker process
  }
  listen(command: { weight: number }) {
    this.weight = command.weight; // what the parent tells the worker with pool.tell(...)
  }
  call(word: string) {
    // __prerun__, __run__, __postrun__: one item
    if (word === 'water' && !this.failedOnce) {
      this.failedOnce = true;
      throw new Error('busy, try again'); // lives=3: retry: 2 tries it again
    }
    emit(`scoring ${word}`); // a message to the parent while the item runs
    this.scored++;
    return word.length * this.weight;
  }
  close() {
    return this.scored; // __onfinish__ and __result__: pool.close() resolves to it
  }
}

const told: unknown[] = [];
const pool = new Pool(delayedInit(Scorer)(2), {
  nJobs: 1,
  inline: false, // one worker process, not the calling thread
  retry: { retries: 2, minTimeout: 50 },
  taskTimeout: 5000, // timeouts.run=5.0
  onMessage: (message) => told.push(message),
});
console.log(await pool.map(['tea', 'coffee', 'water']));
pool.tell({ weight: 10 });
console.log(await pool.map(['tea']));
console.log(`the worker said: ${told.join(', ')}`);
console.log(`scored per worker: ${await pool.close()}`);
