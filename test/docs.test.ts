// The documentation, tested: every example program runs and prints what it should, every code block
// of README.md, migration-guide.md and docs/*.md is an excerpt of such a program (or of its output),
// and the API reference builds without warnings.
//
// Code blocks, by language tag:
// - ts / js: must follow a marker `<!-- example: docs/examples/x.mjs -->` and be an excerpt of that
//   file (its lines, in order, consecutive except where the block has a `// ...` line); the file must
//   be one of the examples below, or a worker module one of them uses, and that example must pass.
// - text: terminal output. With `<!-- output: docs/examples/x.mjs [stderr] [masked] -->` its lines
//   must be printed by that example (on stderr if said), as they are, or with every figure masked
//   when the marker says `masked` (figures that change from run to run; the example's own check
//   tests them). With a marker naming another file (a capture such as docs/progress-frame.txt) they
//   must be in that file.
//   Unmarked text blocks (an error message quoted for a reader) are allowed.
// - sh / bash: commands. They are not run here (`npm test` would run this suite again; the others
//   set up projects outside the repository), but every `npm run x` must name a script of the root
//   package.json and every repository path they name must exist.
// - python: EXEMPT. These are the Python side of the migration guide; pqdm and mtasklite cannot be
//   installed here (no PyPI), so they cannot be run. Their facts are checked against the reference.
// - A block without a language tag, or with any other tag, fails.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  type Block,
  excerptProblem,
  isElision,
  maskNumbers,
  parseBlocks,
  relativeLinks,
  repoPathsNamed,
  scriptsRun,
} from './doc-blocks.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const repo = (path: string) => join(root, path);
const read = (path: string) => readFileSync(repo(path), 'utf8');

interface Output {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What else a check needs: other runs of the program, expected lines. */
  more?: { expected?: string[]; other?: Output };
}

/** Runs a file of the repository with node (TypeScript through tsx), from the repository's root. */
function runNode(file: string, args: string[] = [], stdin?: string): Promise<Output> {
  const flags = file.endsWith('.ts') ? ['--import', 'tsx'] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, file, ...args], { cwd: root, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const linesOf = (text: string) => text.trimEnd().split('\n');
const succeeded = (out: Output) => expect(out.code, out.stderr).toBe(0);

/** A folder of files to hash, and their digests as sha256sum prints them. */
function filesToHash(): { folder: string; expected: string[] } {
  const folder = mkdtempSync(join(tmpdir(), 'mtl-docs-hash-'));
  const files: Record<string, string | Buffer> = {
    'a.txt': 'hello\n',
    'empty.txt': '',
    'nested/b.json': '{"b":1}\n',
    'nested/deeper/c.bin': Buffer.alloc(300_000, 7),
  };
  for (let i = 0; i < 40; i++) files[`many/${i}.txt`] = `file ${i}\n`.repeat(i);
  const expected: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), content);
    expected.push(`${createHash('sha256').update(content).digest('hex')}  ${name}`);
  }
  return { folder, expected };
}

/** Every example program: how to run it, and what it must print. */
const examples: Record<string, { run: () => Promise<Output>; check: (out: Output) => void }> = {
  'examples/demo.mjs': {
    run: () => runNode('examples/demo.mjs'),
    check: (out) => {
      succeeded(out);
      expect(out.stdout).toMatch(/200,000 lines, [\d,]+ words/);
      expect(out.stdout.match(/worker \d \(thread \d+\) scored \d+ lines/g)).toHaveLength(4);
    },
  },
  'docs/examples/faults.mjs': {
    run: () => runNode('docs/examples/faults.mjs'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        '0 0',
        '1 10',
        '2 20',
        '3 crashed its worker, exit code 1',
        '4 40',
        '5 timed out after 1000 ms',
        '6 60',
        '7 RangeError (E_BAD): bad input 7',
        '8 80',
        '9 90',
      ]);
    },
  },
  'docs/examples/abort.mjs': {
    run: () => runNode('docs/examples/abort.mjs'),
    check: (out) => {
      succeeded(out);
      expect(out.stdout).toBe('stopped after at least 20 results: enough\n');
    },
  },
  'docs/examples/first-map.mjs': {
    run: () => runNode('docs/examples/first-map.mjs'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual(['below 150000: 13848 primes', 'sum of all counts: 734361']);
    },
  },
  'docs/examples/commonjs.cjs': {
    run: () => runNode('docs/examples/commonjs.cjs'),
    check: (out) => {
      succeeded(out);
      expect(out.stdout).toBe('[ 3, 6, 9 ]\n');
    },
  },
  'docs/examples/one-file.mjs': {
    run: () => runNode('docs/examples/one-file.mjs'),
    check: (out) => {
      // Printed once: the workers import the file, and the guard keeps them from starting maps.
      succeeded(out);
      expect(out.stdout).toBe('[ 3, 6, 9 ]\n');
    },
  },
  'docs/examples/module-worker.mjs': {
    run: () => runNode('docs/examples/module-worker.mjs'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        '[ 4, 25, 168, 1229 ]',
        '7 is prime',
        '8 is not prime',
        'item 2 failed: negative input: -1',
        '11 is prime',
      ]);
    },
  },
  'docs/examples/hash-files.mjs': {
    run: async () => {
      const { folder, expected } = filesToHash();
      const out = await runNode('docs/examples/hash-files.mjs', [folder]);
      // A Hasher whose constructor always throws: the map ends with that error after three tries.
      const bad = await runNode('docs/examples/hash-files.mjs', [folder, 'no-such-hash']);
      return { ...out, more: { expected, other: bad } };
    },
    check: (out) => {
      succeeded(out);
      const expected = out.more?.expected ?? [];
      expect(linesOf(out.stdout).sort()).toEqual(expected.sort());
      // Each worker's close() reports its own count; together they hashed every file once.
      const counts = [...out.stderr.matchAll(/: (\d+) files, \d+ bytes/g)].map((m) => Number(m[1]));
      expect(counts).toHaveLength(2);
      expect(counts.reduce((a, b) => a + b)).toBe(expected.length);
      expect(out.more?.other?.code).not.toBe(0);
      expect(out.more?.other?.stderr).toMatch(/Digest method not supported[\s\S]*at new Hasher/);
    },
  },
  'docs/examples/scale-out.mjs': {
    // Here, with its workers on this machine; the Slurm and ssh runs are in packages/remote/test.
    run: () => runNode('docs/examples/scale-out.mjs'),
    check: (out) => {
      succeeded(out);
      expect(out.stdout).toMatch(/^78,498 primes below 1,000,000$/m);
      expect(out.stdout).toMatch(/^ranges per host: \S+ 40$/m);
    },
  },
  'docs/examples/model-lines.ts': {
    run: async () => {
      const fromFile = await runNode('docs/examples/model-lines.ts', ['docs/examples/data/reviews.txt']);
      const fromStdin = await runNode('docs/examples/model-lines.ts', [], read('docs/examples/data/reviews.txt'));
      return { ...fromFile, more: { other: fromStdin } };
    },
    check: (out) => {
      succeeded(out);
      expect(out.more?.other?.stdout, 'the same lines from standard input').toBe(out.stdout);
      expect(linesOf(out.stdout)).toEqual([
        'line 1: positive (4)',
        'line 2: negative (-2)',
        'line 3: positive (1)',
        'line 4: positive (2)',
        'line 5: negative (-2)',
        'line 6: positive (2)',
        'line 7: neutral (0)',
        'line 8: negative (-2)',
        'line 9: positive (3)',
        'line 10: negative (-4)',
        'line 11: positive (1)',
        'line 12: neutral (0)',
        '12 lines: 6 positive, 4 negative, 2 neutral',
      ]);
      // The model was loaded once per worker: two workers, two close() reports, 12 lines between them.
      const scored = [...out.stderr.matchAll(/a worker scored (\d+) lines/g)].map((m) => Number(m[1]));
      expect(scored).toHaveLength(2);
      expect(scored.reduce((a, b) => a + b)).toBe(12);
    },
  },
  'docs/examples/blur.mjs': {
    run: () => runNode('docs/examples/blur.mjs'),
    check: (out) => {
      succeeded(out);
      const lines = linesOf(out.stdout);
      expect(lines.map((line) => line.split(':')[0])).toEqual(['nJobs', 'threads', 'processes']);
      for (const line of lines) expect(line).toMatch(/: 1048576 pixels in \d+ ms, identical to nJobs: 1$/);
    },
  },
  'docs/examples/streaming.mjs': {
    run: () => runNode('docs/examples/streaming.mjs'),
    check: (out) => {
      succeeded(out);
      const lines = linesOf(out.stdout);
      const [, taken, pulled, ahead] = /^window 8: took (\d+) results, pulled (\d+) inputs, at most (\d+) ahead$/
        .exec(lines[0])
        ?.map(Number) ?? [0, 0, 0, 99];
      expect(taken).toBe(200);
      expect(ahead).toBeLessThanOrEqual(8);
      expect(pulled).toBeLessThanOrEqual(208);
      expect(lines[1]).toBe('ordered: 0,1,2,3,4,5');
      expect(lines[2]).toBe('ordered: false: 1,2,3,4,5,0');
      expect(lines[3]).toBe('bounded: false: 1000 inputs pulled for the first result');
      const late = /^readline, iterated late: (\d+) of 200000 lines$/.exec(lines[4]);
      expect(Number(late?.[1])).toBeLessThan(200_000); // lines were lost: Node's behaviour, not mtl's
      expect(lines[5]).toBe('mtl over readline, workers starting in 300 ms: 200000 of 200000 lines');
      expect(lines[6]).toBe('10 async items on 2 workers: at most 2 in progress at once');
    },
  },
  'docs/examples/stateful.mjs': {
    run: () => runNode('docs/examples/stateful.mjs'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        '1000 words, 1000 lines in 3 files',
        'x-a x-b x-c',
        'after the first map: 400 calls',
        'after the second map: 500 calls',
        'built side by side while we waited: true',
      ]);
    },
  },
  'docs/examples/progress.mjs': {
    run: () => runNode('docs/examples/progress.mjs'),
    check: (out) => {
      succeeded(out);
      expect(out.stdout).toBe('onProgress said: 40 of 40\n');
      const lines = linesOf(out.stderr);
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines.slice(0, -1)) {
        expect(line).toMatch(/^sized: \d+\/250 \(\d+%\) \| [\d.]+k?\/s \| [\d.]+s, ETA [\d.]+s \| \d failed$/);
      }
      expect(lines.at(-1)).toMatch(/^sized: 250\/250 \(100%\) \| [\d.]+k?\/s \| [\d.]+s \| 3 failed$/);
    },
  },
  'docs/examples/progress-write.mjs': {
    run: () => runNode('docs/examples/progress-write.mjs'),
    check: (out) => {
      succeeded(out);
      // Not on a terminal: write() and console.log just print, to stdout; each map ends with a plain line.
      expect(linesOf(out.stdout)).toEqual([
        ...[7, 17, 27, 37, 47, 57].map((i) => `skipped: page-${i} has no title`),
        'skipped again: page-7 has no title',
        'skipped again: page-17 has no title',
      ]);
      expect(linesOf(out.stderr)).toEqual([
        expect.stringMatching(/^pages: 60\/60 pages \(100%\) \| [\d.k]+ pages\/s \| [\d.]+s \| 6 failed$/),
        expect.stringMatching(/^again: 20\/20 \(100%\) \| [\d.k]+\/s \| [\d.]+s \| 2 failed$/),
        expect.stringMatching(/^formatted: 60\/60 pages \(100%\) \| [\d.k]+ pages\/s \| [\d.]+s \| 6 failed$/),
      ]);
    },
  },
  'docs/examples/migration.ts': {
    run: () => runNode('docs/examples/migration.ts'),
    check: (out) => {
      succeeded(out);
      const lines = linesOf(out.stdout);
      expect(lines[0]).toBe('[ 1, 4, 9, 16 ]');
      expect(lines.slice(1, 4).map((line) => line.replace(/^gpu [01]: /, ''))).toEqual(['1', '4', '9']);
      expect(lines.slice(4)).toEqual([
        "[ 'Lima', 'Tokyo', 'unknown' ]",
        'gpu 0: 25',
        'gpu 0: 36',
        '[ 2, 12 ]',
        '[ 2 ]',
        "[ 'error at 0: odd: 1', 2, 'error at 2: odd: 3', 4 ]",
        expect.stringMatching(/^immediate: odd: [13]$/),
        'deferred yielded 2',
        'deferred yielded 4',
        'deferred: 0, 2 failed',
        'failed: 0 (a string)',
      ]);
    },
  },
  'docs/examples/retries.mjs': {
    run: () => runNode('docs/examples/retries.mjs'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        'items/0: items 0 (attempts: 1)',
        'flaky/1: flaky 1 (attempts: 3)',
        'items/2: items 2 (attempts: 1)',
        'missing/3: HTTP 404 (attempts: 1)',
        'stuck/4: stuck 4 (attempts: 2)',
        'items/5: items 5 (attempts: 1)',
        'a 404, default policy: HTTP 404 (attempts: 3)',
        'a crash, default policy: WorkerCrashedError (attempts: 1)',
        'pool.run: items 7, flaky 8',
        'pool.run rejected: HTTP 404',
      ]);
    },
  },
  'docs/examples/pacing.mjs': {
    run: () => runNode('docs/examples/pacing.mjs'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        'one map, rateLimit 10: at most 11 starts in any second: true',
        'a Pool with rateLimit 10, two maps: at most 11 starts in any second: true',
        'two maps with rateLimit 10 each: more than 11 starts in one second: true',
        '40 waits of 200 ms on 2 workers: done in less than 2 s (4 s one at a time per worker): true',
        'calls in progress at once in each instance, at most: 5, 5',
      ]);
    },
  },
  'docs/examples/messages.mjs': {
    run: () => runNode('docs/examples/messages.mjs'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        'a.wav: 25% 50% 75% 100% a.mp3',
        'b.wav: 25% 50% 75% 100% b.mp3',
        'c.wav: 25% 50% 75% 100% c.mp3',
        '3... 2... 1... lift-off',
        'threshold 0.5: true,true,true,true',
        'told 0.8: false,false,true,true',
        'worker a: threshold 0.8',
        'worker b: threshold 0.8',
        'kept in all: 6',
      ]);
    },
  },
  'docs/examples/limits.mjs': {
    run: () => runNode('docs/examples/limits.mjs'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        'in input order: 0 1 2 3 4 5 6 7 8 9 10 11',
        'gpu jobs running at once, at most: 1',
        'cpu jobs running at once, more than one at some point: true',
      ]);
    },
  },
  'docs/examples/checkpoint.mjs': {
    run: () => runNode('docs/examples/checkpoint.mjs'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        'first run: 5 pages, 5 failed',
        'second run: ran 5, 6, 7, 8, 9; 10 pages in order: true',
        '{"mtl":"checkpoint","version":1}',
        'then 10 lines, one per finished item, with the keys 0, 1, 2, 3, 4, 5, 6, 7, 8, 9',
        'after a cut last line: ran 1 item again',
        'new input, keyed by URL: ran item 0 only; results 5, 4, 2, 3',
      ]);
    },
  },
  'docs/examples/shared-state.mjs': {
    run: () => runNode('docs/examples/shared-state.mjs'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        'threads, one shared total: 5050',
        'processes: TypeError: the arguments of worker 0 cannot be sent to it: shared memory (a SharedArrayBuffer) cannot be shared with a worker process: each would get a copy. Share memory with @mtl/threads, or fold the results in the caller.',
        'processes, folded here: the 3, cat 2, a 2',
      ]);
    },
  },
  'docs/examples/migration-stdlib.ts': {
    run: () => runNode('docs/examples/migration-stdlib.ts'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        '[ 0, 1, 4, 9, 16, 25 ]',
        '[ 1, 4, 9 ]',
        '49',
        '[ 16, 25, 36 ]',
        '[ 2, 12 ]',
        '[ 10, 20, 30 ]',
      ]);
    },
  },
  'docs/examples/migration-pyarallel.ts': {
    run: () => runNode('docs/examples/migration-pyarallel.ts'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        '0: items 1',
        '1: flaky 2',
        '2: items 3',
        '3: failed: HTTP 404',
        'progress: 1/4 2/4 3/4 4/4',
      ]);
    },
  },
  'docs/examples/migration-suitkaise.ts': {
    run: () => runNode('docs/examples/migration-suitkaise.ts'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        '[ 6, 12, 10 ]',
        '[ 30 ]',
        'the worker said: scoring tea, scoring coffee, scoring water, scoring tea',
        'scored per worker: 4',
      ]);
    },
  },
  'docs/examples/migration-taskproc.ts': {
    run: () => runNode('docs/examples/migration-taskproc.ts'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)).toEqual([
        'Train 0, Evaluate 0, Train 1, Evaluate 1, Train 2, Evaluate 2',
        'first run: 6 jobs ran',
        'second run: 0 jobs ran, 6 results from the cache',
      ]);
    },
  },
  'docs/examples/readme.ts': {
    run: () => runNode('docs/examples/readme.ts'),
    check: (out) => {
      succeeded(out);
      expect(linesOf(out.stdout)[0]).toBe('[ 1, 4, 9, 16 ]');
      expect(linesOf(out.stdout).slice(1).sort()).toEqual(['ada', 'bob', 'cy']);
    },
  },
};

/** Worker modules and data, run as part of an example. */
const partOf: Record<string, string> = {
  'examples/word-stats.mjs': 'examples/demo.mjs',
  'docs/examples/primes.mjs': 'docs/examples/module-worker.mjs',
  'docs/examples/commonjs-work.cjs': 'docs/examples/commonjs.cjs',
  'docs/examples/hasher.mjs': 'docs/examples/hash-files.mjs',
  'docs/examples/sentiment.ts': 'docs/examples/model-lines.ts',
  'docs/examples/blur-kernel.mjs': 'docs/examples/blur.mjs',
  'docs/examples/shard-writer.mjs': 'docs/examples/stateful.mjs',
  'docs/examples/migration-worker.ts': 'docs/examples/migration.ts',
  'docs/examples/service.mjs': 'docs/examples/retries.mjs',
  'docs/examples/transcode.mjs': 'docs/examples/messages.mjs',
  'docs/examples/scale-out-worker.mjs': 'docs/examples/scale-out.mjs',
};

// Each example runs once; its checks are reported by its own test, and blocks that quote it wait for it.
const runs = new Map<string, Promise<Output>>();
const outputOf = (path: string): Promise<Output> => {
  let run = runs.get(path);
  if (!run) {
    run = examples[path].run();
    runs.set(path, run);
  }
  return run;
};
const passing = async (path: string) => {
  const out = await outputOf(path);
  examples[path].check(out);
  return out;
};

describe('docs examples: each program runs and prints what it should', () => {
  for (const path of Object.keys(examples)) it(path, () => passing(path), 90_000);

  it('every program in docs/examples is run here, as an example or as part of one', () => {
    const files = readdirSync(repo('docs/examples')).filter((f) => /\.(mjs|js|cjs|ts)$/.test(f));
    for (const file of files) expect(Object.keys({ ...examples, ...partOf })).toContain(`docs/examples/${file}`);
  });
});

const pages = [
  'README.md',
  'migration-guide.md',
  ...readdirSync(repo('docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const scripts = Object.keys(JSON.parse(read('package.json')).scripts);
const codeLangs: Record<string, RegExp> = {
  ts: /\.ts$/,
  typescript: /\.ts$/,
  js: /\.(mjs|cjs|js)$/,
  javascript: /\.(mjs|cjs|js)$/,
};

/** Checks one block; throws with the block's place in the page when it fails. */
async function checkBlock(block: Block): Promise<'exempt' | 'checked'> {
  const { lang, marker, where } = block;
  const fail = (why: string): never => {
    throw new Error(`${where} (\`\`\`${lang}): ${why}`);
  };
  if (lang === 'python') return 'exempt';
  if (lang === 'sh' || lang === 'bash') {
    for (const line of block.lines) {
      for (const name of scriptsRun(line)) if (!scripts.includes(name)) fail(`no script \`${name}\` in package.json`);
      for (const path of repoPathsNamed(line)) if (!existsSync(repo(path))) fail(`${path} does not exist`);
    }
    return 'checked';
  }
  if (lang in codeLangs) {
    if (marker?.kind !== 'example')
      fail('a code block needs `<!-- example: docs/examples/… -->` on the line before it');
    const target = (marker as { target: string }).target;
    if (!codeLangs[lang].test(target)) fail(`the language tag does not match ${target}`);
    const owner = examples[target] ? target : partOf[target];
    if (!owner) fail(`${target} is not run by the tests: add it to \`examples\` in this file`);
    const problem = excerptProblem(block.lines, read(target).split('\n'));
    if (problem) fail(`not an excerpt of ${target}: ${problem}`);
    await passing(owner);
    return 'checked';
  }
  if (lang === 'text') {
    if (!marker) return 'checked';
    if (marker.kind !== 'output') fail('a text block takes `<!-- output: … -->`');
    if (examples[marker.target]) {
      const out = await passing(marker.target);
      const problem = excerptProblem(
        block.lines,
        out[marker.stream].split('\n'),
        marker.masked ? maskNumbers : undefined,
      );
      if (problem)
        fail(
          `not what ${marker.target} prints on ${marker.stream}${marker.masked ? ' (figures masked)' : ''}: ${problem}`,
        );
    } else {
      if (!existsSync(repo(marker.target))) fail(`${marker.target} does not exist`);
      const problem = excerptProblem(block.lines, read(marker.target).split('\n'));
      if (problem) fail(`not in ${marker.target}: ${problem}`);
    }
    return 'checked';
  }
  return fail(lang === '' ? 'give every block a language tag' : `unknown language tag \`${lang}\``);
}

describe('docs code blocks: each is run, an excerpt of an example that is, or exempt by its language', () => {
  for (const page of pages) {
    it(page, async () => {
      const markdown = read(page);
      const blocks = parseBlocks(markdown, page);
      for (const block of blocks) await checkBlock(block);
      for (const target of relativeLinks(markdown)) {
        const path = join(dirname(repo(page)), decodeURIComponent(target));
        if (!path.startsWith(repo('docs/api'))) expect(existsSync(path), `${page} links to ${target}`).toBe(true);
      }
    }, 120_000);
  }

  it('the checker fails a block that drifts from its example, and accepts one that does not', async () => {
    const source = ['const a = 1;', '', '  const b = a + 1; // two', 'console.log(a, b);', 'done();'];
    expect(excerptProblem(['const a = 1;', 'const b = a + 1; // two'], source)).toBeUndefined();
    expect(excerptProblem(['const a = 1;', '// ...', 'done();'], source)).toBeUndefined();
    expect(excerptProblem(['const a = 1;', 'console.log(a, b);'], source)).toMatch(/not found/);
    expect(excerptProblem(['const a = 2;'], source)).toMatch(/"const a = 2;"/);
    expect(excerptProblem(['done();', '// ...', 'const a = 1;'], source)).toMatch(/not found/);
    expect(isElision('  // ...')).toBe(true);
    const drifted = parseBlocks(
      '<!-- example: docs/examples/abort.mjs -->\n```js\nfor await (const x of pqdm(forever(), slow, { nJobs: 3 })) {}\n```\n',
      'drift.md',
    );
    await expect(checkBlock(drifted[0])).rejects.toThrow(/drift\.md:2 .*not an excerpt of docs\/examples\/abort\.mjs/);
    const output = (marker: string, line: string) =>
      checkBlock(
        parseBlocks(`<!-- output: docs/examples/abort.mjs${marker} -->\n\`\`\`text\n${line}\n\`\`\`\n`, 'out.md')[0],
      );
    await expect(output('', 'stopped after at least 20 results: enough')).resolves.toBe('checked');
    await expect(output('', 'stopped after at least 30 results: enough')).rejects.toThrow(/not what .* prints/);
    await expect(output(' masked', 'stopped after at least 30 results: enough')).resolves.toBe('checked');
    await expect(output(' masked', 'stopped before 30 results: enough')).rejects.toThrow(/figures masked/);
    await expect(checkBlock(parseBlocks('```\nls\n```\n', 'bare.md')[0])).rejects.toThrow(/language tag/);
    await expect(checkBlock(parseBlocks('```sh\nnpm run no-such-script\n```\n', 'sh.md')[0])).rejects.toThrow(
      /no script `no-such-script`/,
    );
  });
});

describe('API reference', () => {
  it('typedoc builds it from the doc comments without warnings', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mtl-api-'));
    const typedoc = repo('node_modules/typedoc/bin/typedoc');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [typedoc, '--out', out], {
      cwd: root,
      timeout: 120_000,
    });
    expect(`${stdout}${stderr}`).not.toMatch(/warning|error/i);
    expect(existsSync(join(out, 'modules', '_mtl_threads.html'))).toBe(true);
  }, 120_000);
});
