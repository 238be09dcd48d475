import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const node = async (path: string) => (await run(process.execPath, [repo(path)], { timeout: 60_000 })).stdout;

// The programs the docs quote are run here, so that none of them can rot.
describe('docs examples', () => {
  it('docs/examples/faults.mjs: a crash, a time-out and a throw each cost one item', async () => {
    const lines = (await node('docs/examples/faults.mjs')).trim().split('\n');
    expect(lines).toEqual([
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
  });

  it('docs/examples/abort.mjs: an AbortSignal stops an endless map', async () => {
    expect(await node('docs/examples/abort.mjs')).toBe('stopped after at least 20 results: enough\n');
  });

  it('examples/demo.mjs (the README demo) runs to the end', async () => {
    const out = await node('examples/demo.mjs');
    expect(out).toMatch(/200,000 lines, [\d,]+ words/);
    expect(out.match(/worker \d \(thread \d+\) scored \d+ lines/g)).toHaveLength(4);
  });
});
