// The types as a user's project gets them: the built .d.ts files of @mtl/core, @mtl/threads and
// @mtl/processes, copied into a throw-away project with cli-progress installed (it ships no types) but
// not @types/cli-progress, checked by tsc with strict and exactOptionalPropertyTypes on and
// skipLibCheck off. Needs a build (the progress tests need one too).
import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const packages = fileURLToPath(new URL('../../', import.meta.url));
const fromCore = createRequire(join(packages, 'core/package.json'));
const fromRoot = createRequire(join(packages, '../package.json'));

/** A project that depends on the three packages as npm would install them: package.json and types only. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mtl-types-'));
  for (const name of ['core', 'threads', 'processes']) {
    const to = join(dir, 'node_modules/@mtl', name);
    mkdirSync(join(to, 'dist'), { recursive: true });
    cpSync(join(packages, name, 'package.json'), join(to, 'package.json'));
    for (const file of readdirSync(join(packages, name, 'dist'))) {
      if (/\.d\.c?ts$/.test(file)) cpSync(join(packages, name, 'dist', file), join(to, 'dist', file));
    }
  }
  const link = (name: string, from: string) => symlinkSync(from, join(dir, 'node_modules', name), 'dir');
  link('cli-progress', dirname(realpathSync(fromCore.resolve('cli-progress/package.json'))));
  mkdirSync(join(dir, 'node_modules/@types'));
  link('@types/node', dirname(realpathSync(fromRoot.resolve('@types/node/package.json'))));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'ESNext.Disposable'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    noEmit: true,
    types: ['node'],
  },
};

// The @ts-expect-error lines fail the check if the options are typed `any`.
const uses = `
const progress: ProgressOptions = { barsize: 20, unit: 'files' };
const out = pqdm([1, 2], (x: number) => x * 2, { desc: 'files', progress: { barsize: 20, unit: 'files' } });
const again = pqdm([1, 2], (x: number) => x * 2, { progress, onProgress: (done, total) => [done, total] });
write('a line above the bars');
write('on stderr', { stream: process.stderr });
// @ts-expect-error a unit is a string
pqdm([1], (x: number) => x, { progress: { unit: 5 } });
// @ts-expect-error barSize is not a bar option (barsize is)
pqdm([1], (x: number) => x, { progress: { barSize: 20 } });
// @ts-expect-error a format is a string
pqdm([1], (x: number) => x, { progress: { format: () => '' } });
export const results: PqdmResult<number | ItemError>[] = [out, again];
// Failures are in the type, unless 'immediate'; inputs are checked against the worker.
export const sure: PqdmResult<number> = pqdm([1], (x: number) => x, { exceptionBehaviour: 'immediate' });
// @ts-expect-error the worker takes numbers
pqdm(['a'], (x: number) => x);
// @ts-expect-error 'args' wants the worker's arguments
pqdm([['a', 1] as [string, number]], (a: number, b: number) => a + b, { argumentType: 'args' });
export const pool: Pool<number, string> = new Pool((x: number) => String(x));
// @ts-expect-error a Pool<number> takes numbers
pool.map(['a']);
export const scaled = fromModule<(x: number) => number>(new URL('./work.js', import.meta.url), 'scale');
export const forwarded = (desc: string | undefined, total: number | undefined) => pqdm([1], (x: number) => x, { desc, total });
export const counted = delayedInit((k: number) => (x: number) => x + k);
`;

/** The docs' TypeScript examples (and the declarations of the JavaScript modules they import). */
const examples = fileURLToPath(new URL('../../../docs/examples/', import.meta.url));
const docsExamples = Object.fromEntries(
  readdirSync(examples)
    .filter((file) => /\.(ts|d\.mts)$/.test(file))
    .map((file) => [`examples/${file}`, readFileSync(join(examples, file), 'utf8')]),
);

it('the published types compile without @types/cli-progress, strict, without skipLibCheck, with the docs examples', async () => {
  const dir = project({
    'package.json': JSON.stringify({ type: 'module' }),
    'tsconfig.json': JSON.stringify(tsconfig),
    'threads.ts': `import { delayedInit, fromModule, type ItemError, Pool, type PqdmResult, type ProgressOptions, pqdm, write } from '@mtl/threads';\n${uses}`,
    'processes.ts': `import { delayedInit, fromModule, type ItemError, Pool, type PqdmResult, type ProgressOptions, pqdm, write } from '@mtl/processes';\n${uses}`,
    ...docsExamples,
    // CommonJS users get the .d.cts files.
    'require.cts': `import threads = require('@mtl/threads');
const options: threads.ProgressOptions = { unit: 'files' };
threads.write('x');
export = options;`,
  });
  const tsc = fromRoot.resolve('typescript/bin/tsc');
  const result = await run(process.execPath, [tsc, '-p', dir], { timeout: 60_000 }).then(
    () => '',
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
  rmSync(dir, { recursive: true, force: true });
  expect(result).toBe('');
}, 60_000);
