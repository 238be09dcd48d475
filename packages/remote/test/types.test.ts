import { command, type ItemError, Pool, type PqdmResult, pqdm, type RemotePqdmOptions, slurm, ssh } from '@mtl/remote';
import { describe, expectTypeOf, it } from 'vitest';

// Checked by `tsc` (npm test runs it): the launcher is part of the options' type, and results are typed.
describe('types', () => {
  it('infers the result type, and wants a launcher in the options', async () => {
    const strings = pqdm([1, 2], (x: number) => String(x), { nJobs: 2, launcher: command([]) });
    expectTypeOf(strings).toEqualTypeOf<PqdmResult<string | ItemError>>();
    await strings.close();
    const sure = pqdm([1], (x: number) => x, { launcher: command([]), exceptionBehaviour: 'immediate' });
    expectTypeOf(sure).toEqualTypeOf<PqdmResult<number>>();
    await sure.close();
    // @ts-expect-error: options without a launcher
    expectTypeOf<{ nJobs: 2 }>().toMatchTypeOf<RemotePqdmOptions>();
    expectTypeOf({ launcher: slurm({ srunArgs: ['--mem=1G'] }) }).toMatchTypeOf<RemotePqdmOptions>();
    expectTypeOf({
      launcher: ssh({ hosts: ['a:2'] }),
      listen: { host: '0.0.0.0', port: 0 },
    }).toMatchTypeOf<RemotePqdmOptions>();
    const pool = new Pool((x: number) => x > 1, { launcher: command(['nice']) });
    expectTypeOf(pool.map([1])).toEqualTypeOf<PqdmResult<boolean | ItemError>>();
    // @ts-expect-error: an item the worker does not take
    pool.map(['one']);
    await pool.close();
  });
});
