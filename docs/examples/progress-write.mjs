// Lines above the bar with write(), a unit, the console patch, and a format of your own.
// On a terminal: node docs/examples/progress-write.mjs (the bar on stderr, the lines on stdout).
import { pqdm, write } from '@mtl/threads';

const pages = Array.from({ length: 60 }, (_, i) => `page-${i}`);
const render = async (name) => {
  await new Promise((resolve) => setTimeout(resolve, 10)); // self-contained: no outer names
  if (name.endsWith('7')) throw new Error(`${name} has no title`);
  return name.length;
};

// write() prints a line above the live bar and draws the bar again below it; console.log would
// print onto the bar's line. Like tqdm.write, it writes to stdout unless given another stream.
for await (const result of pqdm(pages, render, { nJobs: 2, desc: 'pages', progress: { unit: 'pages' } })) {
  if (result instanceof Error) write(`skipped: ${result.message}`);
}

// patchConsole: while this bar is live, console.log goes through write().
const again = pqdm(pages.slice(0, 20), render, { nJobs: 2, desc: 'again', progress: { patchConsole: true } });
for await (const result of again) if (result instanceof Error) console.log(`skipped again: ${result.message}`);

// A format of your own: {desc} and {unit} are tokens too.
const format = '{desc} [{bar}] {value}/{total} {unit}{failed}';
await pqdm(pages, render, { nJobs: 2, desc: 'formatted', progress: { unit: 'pages', format } });
