// The examples of docs/messages-and-checkpoints.md on messages: emit and onMessage, pool.tell and
// listen, and the values of pool.close().
// Usage: node docs/examples/messages.mjs
import { delayedInit, fromModule, Pool, pqdm } from '@mtl/threads';

// 1. emit() in a worker module; onMessage here. Each item's messages come in order, before its result.
const transcode = fromModule(new URL('./transcode.mjs', import.meta.url), 'transcode');
const files = ['a.wav', 'b.wav', 'c.wav'];
const heard = files.map(() => []);
const onMessage = (percent, { index }) => heard[index].push(`${percent}%`);
let index = 0;
for await (const mp3 of pqdm(files, transcode, { nJobs: 2, onMessage })) heard[index++].push(mp3);
for (const [i, file] of files.entries()) console.log(`${file}: ${heard[i].join(' ')}`);

// 2. A function sent as source text finds emit in its scope, without an import.
const countdown = (n) => {
  for (let i = n; i > 0; i--) emit(`${i}...`);
  return 'lift-off';
};
const said = [];
const [last] = await pqdm([3], countdown, { nJobs: 2, onMessage: (value) => said.push(value) });
console.log(`${said.join(' ')} ${last}`);

// 3. pool.tell(value) reaches every running worker; the instance hears it in listen(value).
class Filter {
  constructor(name) {
    this.name = name;
    this.threshold = 0.5;
    this.kept = 0;
  }
  listen(settings) {
    this.threshold = settings.threshold;
  }
  call(score) {
    const keep = score >= this.threshold;
    if (keep) this.kept++;
    return keep;
  }
  close() {
    return { name: this.name, threshold: this.threshold, kept: this.kept };
  }
}
const Filtered = delayedInit(Filter);
const pool = new Pool([Filtered('a'), Filtered('b')]);
const scores = [0.6, 0.7, 0.8, 0.9];
console.log(`threshold 0.5: ${await pool.map(scores)}`);
pool.tell({ threshold: 0.8 });
console.log(`told 0.8: ${await pool.map(scores)}`);
// 4. close() resolves to what each worker's close() returned, in the order of the workers.
const closed = await pool.close();
for (const { name, threshold } of closed) console.log(`worker ${name}: threshold ${threshold}`);
console.log(`kept in all: ${closed.reduce((sum, worker) => sum + worker.kept, 0)}`);
