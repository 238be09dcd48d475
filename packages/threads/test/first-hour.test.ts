// The first hour of a new user, as a test: the most common mistake, its message, and the program that
// following the message leads to.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const backends = ['threads', 'processes'].map((name) => ({
  name,
  entry: new URL(`../../${name}/dist/index.js`, import.meta.url).href,
}));
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url));

/**
 * A throw-away ESM project (inside the repository's .tmp, so that it finds tsx as a user's project
 * would); runs `main` with node (and tsx's loader for TypeScript).
 */
function project(files: Record<string, string>) {
  const scratch = fileURLToPath(new URL('../../../.tmp/', import.meta.url));
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(join(scratch, 'first-hour-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return async (main: string) => {
    const flags = main.endsWith('.ts') ? ['--import', tsx] : [];
    const { stdout } = await run(process.execPath, [...flags, main], { cwd: dir, timeout: 30_000 });
    return stdout.trim();
  };
}

describe('the first hour', () => {
  for (const { name, entry } of backends) {
    it(`${name}: a function that uses a variable of its module says what to do, and doing it works`, async () => {
      const mistake = project({
        'main.mjs': `import { pqdm, isException } from ${JSON.stringify(entry)};
const factor = 3;
const [y] = await pqdm([1, 2], (x) => x * factor, 2);
console.log(isException(y) ? y.message : y);`,
      });
      const message = await mistake('main.mjs');
      expect(message).toMatch(/^factor is not defined/);
      const advice = /pass (fromModule\(new URL\('\.\/work\.js', import\.meta\.url\), fn\))/.exec(message)?.[1];
      expect(advice).toBeDefined();

      // The newcomer moves the function to work.js and passes what the message says (`fn` being it).
      const fixed = project({
        'work.js': 'const factor = 3;\nexport const scale = (x) => x * factor;\n',
        'main.mjs': `import { pqdm, fromModule } from ${JSON.stringify(entry)};
import { scale } from './work.js';
const fn = scale;
console.log(JSON.stringify(await pqdm([1, 2], ${advice}, 2)));`,
      });
      expect(await fixed('main.mjs')).toBe('[3,6]');
    });
  }

  it('under tsx, new URL("./work.js", import.meta.url) finds work.ts, as TypeScript resolves it', async () => {
    const [{ entry }] = backends;
    const typed = project({
      'work.ts': 'const factor: number = 3;\nexport const scale = (x: number): number => x * factor;\n',
      'main.ts': `import { pqdm, fromModule } from ${JSON.stringify(entry)};
import { scale } from './work.js';
console.log(JSON.stringify(await pqdm([1, 2], fromModule(new URL('./work.js', import.meta.url), scale), 2)));`,
    });
    expect(await typed('main.ts')).toBe('[3,6]');
  });

  it('a worker module that is missing, built-in functions and relative paths get messages that say what to do', async () => {
    const [{ entry }] = backends;
    const m = (await import(entry)) as typeof import('@mtl/threads');
    expect(() => m.pqdm([1], Math.sqrt, 2)).toThrow(/`sqrt` is a built-in function.*\(x\) => Math\.sqrt\(x\)/);
    expect(() => m.pqdm([1] as never, ((x: number) => x).bind(null), 2)).toThrow(/the function is a bound function/);
    expect(() => m.fromModule('./work.js', 'scale')).toThrow(/new URL\('\.\/work\.js', import\.meta\.url\)/);
    const missing = m.fromModule(new URL('./no-such-work.js', import.meta.url), 'scale');
    await expect(m.pqdm([1], missing, 2)).rejects.toThrow(/does not exist on the host this worker runs on/);
  });

  it('for...of over a result says to use for await or await', () => {
    const [{ entry }] = backends;
    return import(entry).then((m: typeof import('@mtl/threads')) => {
      const result = m.pqdm([1], (x: number) => x, 2);
      expect(() => {
        for (const y of result as unknown as Iterable<unknown>) void y;
      }).toThrow(/for await.*await result/);
      return result.close();
    });
  });
});
