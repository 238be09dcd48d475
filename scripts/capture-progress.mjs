// Captures what the README demo shows on a terminal: one frame while the map runs (the first with
// the bar at 50% or more) and the screen at the end, as text, into docs/progress-frame.txt.
// Needs Linux's `script` (util-linux) for a pseudo-terminal and a build (`npm run demo` or `pnpm run build`).
// Usage: node scripts/capture-progress.mjs
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { playTerminal } from '../packages/core/test/progress/screen.mjs';

const COLUMNS = 100;
const root = new URL('..', import.meta.url);
const out = new URL('docs/progress-frame.txt', root);

if (spawnSync('script', ['--version']).status !== 0) {
  console.error('capture-progress: needs `script` from util-linux (Linux) to give the demo a terminal');
  process.exit(1);
}

const command = `stty cols ${COLUMNS} rows 40; exec ${JSON.stringify(process.execPath)} examples/demo.mjs`;
const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let raw = '';
let running;
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  raw += chunk;
  if (running) return;
  // Play up to the end of the last complete line drawn (cli-progress ends each with "erase to the right").
  const end = raw.lastIndexOf('\x1b[0K');
  const screen = playTerminal(raw.slice(0, end), COLUMNS).lines;
  if (screen.some((line) => Number(/ (\d+)% \|/.exec(line)?.[1]) >= 50)) running = screen;
});
const code = await new Promise((resolve) => child.on('close', resolve));
if (code !== 0 || !running) {
  console.error(`capture-progress: the demo ${code !== 0 ? `exited with ${code}` : 'drew no bar at 50%'}:\n${raw}`);
  process.exit(1);
}

const trim = (lines) => lines.join('\n').trimEnd();
const frame = `$ node examples/demo.mjs    # on a ${COLUMNS}-column terminal; captured by scripts/capture-progress.mjs

-- while it runs --
${trim(running)}

-- at the end --
${trim(playTerminal(raw, COLUMNS).lines)}
`;
writeFileSync(out, frame);
process.stdout.write(frame);
