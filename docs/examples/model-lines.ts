// Scores a stream of text lines with a per-worker "model" loaded once in each worker.
// Usage: npx tsx docs/examples/model-lines.ts [file]   (reads standard input without a file)
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isException, pqdm } from '@mtl/threads';
import { Sentiment } from './sentiment.js';

const [file] = process.argv.slice(2);
const lexicon = fileURLToPath(new URL('./data/lexicon.tsv', import.meta.url));

const lines = createInterface({ input: file ? createReadStream(file) : process.stdin, crlfDelay: Infinity });
const counts = { positive: 0, negative: 0, neutral: 0 };
let n = 0;
for await (const result of pqdm(lines, Sentiment(lexicon), { nJobs: 2, desc: 'lines' })) {
  n++;
  if (isException(result)) {
    console.log(`line ${n}: ${result.message}`);
    continue;
  }
  counts[result.label]++;
  console.log(`line ${n}: ${result.label} (${result.score})`);
}
console.log(`${n} lines: ${counts.positive} positive, ${counts.negative} negative, ${counts.neutral} neutral`);
