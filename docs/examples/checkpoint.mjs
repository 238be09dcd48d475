// The checkpoint examples of docs/messages-and-checkpoints.md: a map that stops half-way and a second
// run that does only the rest; the file; a cut last line; a key for an input that changes.
// Usage: node docs/examples/checkpoint.mjs
import { mkdtemp, readFile, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isException, pqdm } from '@mtl/threads';

const dir = await mkdtemp(join(tmpdir(), 'mtl-checkpoint-'));
const file = join(dir, 'pages.ckpt');
const pages = Array.from({ length: 10 }, (_, i) => i);

// 1. The first run: the service it depends on goes down after page 4, so pages 5 to 9 fail.
const renderWhileUp = (page) => {
  if (page >= 5) throw new Error('service unavailable');
  return { page, html: `<h1>page ${page}</h1>` };
};
const first = await pqdm(pages, renderWhileUp, { nJobs: 2, checkpoint: { file } });
const failed = first.filter(isException).length;
console.log(`first run: ${first.length - failed} pages, ${failed} failed`);

// 2. The second run, with the same file: the finished pages come from it, the others run.
const render = (page) => ({ page, html: `<h1>page ${page}</h1>` });
const ran = [];
const onResult = ({ index, workerIndex }) => workerIndex >= 0 && ran.push(index); // -1: from the file
const second = await pqdm(pages, render, { nJobs: 2, checkpoint: { file }, onResult });
const inOrder = second.every((result, i) => result.page === i);
console.log(`second run: ran ${ran.sort((a, b) => a - b).join(', ')}; ${second.length} pages in order: ${inOrder}`);

// 3. The file: a header line, then one JSON line per finished item.
const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
console.log(lines[0]);
const keys = lines.slice(1).map((line) => JSON.parse(line).k);
console.log(`then ${keys.length} lines, one per finished item, with the keys ${keys.sort().join(', ')}`);

// 4. A caller killed while it wrote a line leaves half a line: that item runs again, the others do not.
const text = await readFile(file, 'utf8');
await truncate(file, text.length - 20);
ran.length = 0;
await pqdm(pages, render, { nJobs: 2, checkpoint: { file }, onResult });
console.log(`after a cut last line: ran ${ran.length} item again`);

// 5. An input that changes between runs (new items, another order) needs a key of the item itself.
const byUrl = { nJobs: 2, checkpoint: { file: join(dir, 'urls.ckpt'), key: (url) => url }, onResult };
const fetchLength = (url) => url.length; // stands for a request
await pqdm(['/a', '/bb', '/ccc'], fetchLength, byUrl);
ran.length = 0;
const again = await pqdm(['/dddd', '/ccc', '/a', '/bb'], fetchLength, byUrl);
console.log(`new input, keyed by URL: ran item ${ran.join(', ')} only; results ${again.join(', ')}`);
