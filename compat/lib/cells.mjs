// The matrix: every way of calling mtl, on every Node and every backend, and how to run each.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleVariants } from './bundle.mjs';
import { run } from './proc.mjs';

/** The backends, each a column: remote runs its workers on this machine, through its launcher `command([])`. */
export const backends = ['threads', 'processes', 'remote'];
const cellTimeout = 30_000;
const vitestTimeout = 120_000;

/** The rows of the table: where mtl is called from, the project kind, and the worker module (or variant). */
export function rows() {
  const list = [];
  for (const kind of ['esm', 'cjs']) {
    for (const module of ['js', 'mjs', 'cjs', 'ts (tsx)', 'ts (native)'])
      list.push({ context: 'script', kind, module });
  }
  for (const kind of ['esm', 'cjs']) list.push({ context: 'REPL', kind, module: 'inline' });
  for (const kind of ['esm', 'cjs']) {
    for (const module of Object.keys(bundleVariants)) list.push({ context: 'bundle', kind, module });
  }
  for (const kind of ['esm', 'cjs']) {
    for (const module of ['js', 'mjs', 'cjs', 'ts']) list.push({ context: 'vitest', kind, module });
  }
  return list;
}

/** What the small map must return, computed in workers on the same Node. */
const expected = (version) =>
  JSON.stringify({ squares: [1, 4, 9, 16, 25, 36], counted: [101, 102, 103, 104].map((v) => [v, version]) });

/** Checks a script's output: its `RESULT {...}` line, or the error it printed. */
function verdict(result, node) {
  const output = `${result.stdout}\n${result.stderr}`;
  const line = result.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (line && result.code === 0 && line.slice(7) === expected(node.version)) {
    return { ok: true, ms: result.ms };
  }
  if (result.timedOut) return { ok: false, ms: result.ms, error: `timed out after ${cellTimeout / 1000}s`, output };
  const error = line ? `wrong result: ${line.slice(7, 200)}` : firstError(output);
  return { ok: false, ms: result.ms, error, output };
}

/** The first line of the output that names an error, else its last line. */
export function firstError(text) {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const named = lines.find((l) => /^(\w+\.)?\w*(Error|Exception)\b[^:]*:/.test(l));
  return (named ?? lines.at(-1) ?? 'no output').slice(0, 300);
}

/** A script cell: main.js, plain or under tsx, in the project. */
export async function runScript(cell, project) {
  const { module, node, backend } = cell;
  const args =
    module === 'ts (tsx)' ? [project.tsx, 'main.js', backend, 'ts'] : ['main.js', backend, module.split(' ')[0]];
  return verdict(await run(node.bin, args, { cwd: project.home, timeout: cellTimeout }), node);
}

/** A bundle cell: the bundled main.js with work.js beside it. */
export async function runBundle(cell, dirs) {
  const dir = dirs[`${cell.module}-${cell.backend}`];
  return verdict(
    await run(cell.node.bin, ['main.js', cell.backend, 'js'], { cwd: dir, timeout: cellTimeout }),
    cell.node,
  );
}

/** A REPL cell: `node -i`, typed into one line at a time, each after the prompt is back (so `await` has settled). */
export async function runRepl(cell, project) {
  const load = cell.kind === 'esm' ? `await import('@mtl/${cell.backend}')` : `require('@mtl/${cell.backend}')`;
  const launcher = cell.backend === 'remote' ? ', launcher: command([])' : '';
  const lines = [
    `const { pqdm, delayedInit, command } = ${load};`,
    `const options = { nJobs: 2, disable: true${launcher} };`,
    'class Counter { constructor(base) { this.base = base; } call(x) { return [this.base + x, process.version]; } }',
    'const squares = await pqdm([1, 2, 3, 4, 5, 6], (x) => x * x, options);',
    'const counted = await pqdm([1, 2, 3, 4], delayedInit(Counter)(100), options);',
    "console.log('RESULT ' + JSON.stringify({ squares, counted }));",
    '.exit',
  ];
  let typed = 0;
  const onStdout = (stdout, child) => {
    if (stdout.endsWith('> ') && typed < lines.length) child.stdin.write(`${lines[typed++]}\n`);
  };
  const result = await run(cell.node.bin, ['-i'], { cwd: project.home, timeout: cellTimeout, onStdout });
  result.stdout = result.stdout.replace(/^(> )+/gm, '');
  // The REPL prints `Uncaught ...` for a failed line and goes on: that is the error to show.
  const uncaught = result.stdout.split('\n').find((l) => l.includes('Uncaught'));
  if (uncaught) result.stderr += `\n${uncaught.replace(/^[> ]*Uncaught /, '')}`;
  return verdict(result, cell.node);
}

/**
 * One vitest run per Node and project: a test per backend and worker module. Returns the verdict of
 * each test by its title (`threads js`).
 */
export async function runVitest(node, project) {
  const report = join(project.home, `vitest-${node.label}.json`);
  const vitest = join(project.home, 'node_modules/vitest/vitest.mjs');
  const args = [vitest, 'run', '--reporter=json', `--outputFile=${report}`, '--testTimeout=20000'];
  const env = { MTL_EXTS: 'js,mjs,cjs,ts', CI: '1' };
  const result = await run(node.bin, args, { cwd: project.home, env, timeout: vitestTimeout });
  let tests = [];
  let suiteError = result.timedOut ? `vitest timed out after ${vitestTimeout / 1000}s` : firstError(result.stderr);
  try {
    const json = JSON.parse(await readFile(report, 'utf8'));
    const file = json.testResults[0];
    tests = file?.assertionResults ?? [];
    if (file?.message) suiteError = firstError(file.message);
  } catch {}
  const each = tests.length ? result.ms / tests.length : result.ms;
  const verdicts = {};
  for (const test of tests) {
    const message = (test.failureMessages ?? []).join('\n');
    verdicts[test.title] =
      test.status === 'passed'
        ? { ok: true, ms: test.duration ?? each }
        : { ok: false, ms: test.duration ?? each, error: firstError(message), output: message };
  }
  return (title) =>
    verdicts[title] ?? { ok: false, ms: each, error: suiteError, output: result.stdout + result.stderr };
}
