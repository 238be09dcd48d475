import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineBackend } from '../../src/api/define-backend.js';
import { checkCount, checkEnvAndExecArgv, checkObject, checkOneOf, pick } from '../../src/options/check.js';
import { type MapOptions, mapOptionNames, type ResolvedMapOptions, resolveMapOptions } from '../../src/options/map.js';
import { checkJobs, JOBS_CEILING, poolOptionNames, resolveInline, resolvePoolOptions } from '../../src/options/pool.js';
import { checkKnownKeys, suggestOption } from '../../src/options/suggest.js';
import { FakeTransport, fakeBackend } from './fake-transport.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

const defaults: ResolvedMapOptions = {
  ordered: true,
  bounded: true,
  exceptionBehaviour: 'ignore',
  argumentType: 'single_arg',
  chunkSize: undefined,
  chunkPrefillRatio: 2,
  window: undefined,
  batchSize: undefined,
  desc: undefined,
  progress: undefined,
  total: undefined,
  onProgress: undefined,
  taskTimeout: undefined,
  signal: undefined,
  retry: undefined,
  rateLimit: undefined,
  onResult: undefined,
  onMessage: undefined,
  limits: undefined,
  checkpoint: undefined,
};

describe('resolveMapOptions', () => {
  it('gives the documented defaults for no options', () => {
    expect(resolveMapOptions({})).toEqual(defaults);
  });

  it('takes every valid value', () => {
    const onProgress = () => {};
    const { signal } = new AbortController();
    const resolved = resolveMapOptions({
      ordered: false,
      bounded: false,
      exceptionBehaviour: 'deferred',
      argumentType: 'kwargs',
      chunkSize: 4,
      chunkPrefillRatio: 3,
      batchSize: 16,
      desc: 'files',
      progress: { barsize: 20 },
      total: 0,
      onProgress,
      taskTimeout: 250,
      signal,
    });
    expect(resolved).toEqual({
      ...defaults,
      ordered: false,
      bounded: false,
      exceptionBehaviour: 'deferred',
      argumentType: 'kwargs',
      chunkSize: 4,
      chunkPrefillRatio: 3,
      window: 12,
      batchSize: 16,
      desc: 'files',
      progress: { barsize: 20 },
      total: 0,
      onProgress,
      taskTimeout: 250,
      signal,
    });
  });

  it('fixes the window to chunkSize × chunkPrefillRatio only when chunkSize is given', () => {
    expect(resolveMapOptions({ chunkSize: 5 }).window).toBe(10);
    expect(resolveMapOptions({ chunkPrefillRatio: 4 }).window).toBeUndefined();
  });

  it("batchSize 'auto' is the tuned size (undefined), also over a base that fixed one", () => {
    expect(resolveMapOptions({ batchSize: 'auto' }).batchSize).toBeUndefined();
    const base = resolveMapOptions({ batchSize: 8 });
    expect(resolveMapOptions({}, base).batchSize).toBe(8);
    expect(resolveMapOptions({ batchSize: 'auto' }, base).batchSize).toBeUndefined();
  });

  it('disable: true turns the bar off whatever progress says; disable: false changes nothing', () => {
    expect(resolveMapOptions({ disable: true }).progress).toBe(false);
    expect(resolveMapOptions({ disable: true, progress: true }).progress).toBe(false);
    expect(resolveMapOptions({ disable: false, progress: true }).progress).toBe(true);
    expect(resolveMapOptions({ disable: false }).progress).toBeUndefined();
  });

  it("lays the options given over a base (a Pool's defaults for its maps), keeping the rest of the base", () => {
    const base = resolveMapOptions({ ordered: false, chunkSize: 4, desc: 'pool' });
    const resolved = resolveMapOptions({ bounded: false, chunkPrefillRatio: 3 }, base);
    expect(resolved).toEqual({
      ...defaults,
      ordered: false,
      bounded: false,
      chunkSize: 4,
      chunkPrefillRatio: 3,
      window: 12, // recomputed from the base's chunkSize and the new ratio
      desc: 'pool',
    });
    expect(resolveMapOptions({ ordered: true }, base).ordered).toBe(true);
    // The base is not changed by being laid over.
    expect(base.bounded).toBe(true);
  });

  it('limits and label: one without the other is refused; neither keeps the base (a Pool default)', () => {
    const together = /^`limits` and `label` go together/;
    expect(() => resolveMapOptions({ label: () => 'gpu' })).toThrow(together);
    expect(() => resolveMapOptions({ limits: { gpu: 1 } })).toThrow(together);
    const base = resolveMapOptions({ limits: { gpu: 1 }, label: () => 'gpu' });
    expect(base.limits?.limits).toEqual(new Map([['gpu', 1]]));
    expect(resolveMapOptions({ ordered: false }, base).limits).toBe(base.limits);
  });

  it('an option given as undefined keeps its default, or the base value', () => {
    const allUndefined = Object.fromEntries(mapOptionNames.map((name) => [name, undefined])) as MapOptions;
    expect(resolveMapOptions(allUndefined)).toEqual(defaults);
    const base = resolveMapOptions({ ordered: false, exceptionBehaviour: 'immediate', taskTimeout: 5 });
    expect(resolveMapOptions(allUndefined, base)).toEqual(base);
  });

  const bad: [MapOptions, ErrorConstructor, string][] = [
    [{ ordered: 1 as never }, TypeError, 'Expected `ordered` to be a boolean, got `1` (number)'],
    [{ bounded: 'yes' as never }, TypeError, 'Expected `bounded` to be a boolean, got `"yes"` (string)'],
    [
      { exceptionBehaviour: 'loud' as never },
      RangeError,
      "Expected `exceptionBehaviour` to be one of 'ignore', 'immediate', 'deferred', got `\"loud\"` (string)",
    ],
    [
      { exceptionBehaviour: true as never },
      TypeError,
      "Expected `exceptionBehaviour` to be one of 'ignore', 'immediate', 'deferred', got `true` (boolean)",
    ],
    [
      { argumentType: 'kw' as never },
      RangeError,
      "Expected `argumentType` to be one of 'single_arg', 'args', 'kwargs', got `\"kw\"` (string)",
    ],
    [{ chunkSize: 0 }, RangeError, 'Expected `chunkSize` to be an integer from 1 up, got `0` (number)'],
    [{ chunkSize: 2.5 }, RangeError, 'Expected `chunkSize` to be an integer from 1 up, got `2.5` (number)'],
    [{ chunkSize: '4' as never }, TypeError, 'Expected `chunkSize` to be an integer from 1 up, got `"4"` (string)'],
    [
      { chunkPrefillRatio: -1 },
      RangeError,
      'Expected `chunkPrefillRatio` to be an integer from 1 up, got `-1` (number)',
    ],
    [{ batchSize: 0 }, RangeError, 'Expected `batchSize` to be an integer from 1 up, got `0` (number)'],
    [{ batchSize: 'big' as never }, TypeError, 'Expected `batchSize` to be an integer from 1 up, got `"big"` (string)'],
    [{ desc: 5 as never }, TypeError, 'Expected `desc` to be a string, got `5` (number)'],
    [{ disable: 'yes' as never }, TypeError, 'Expected `disable` to be a boolean, got `"yes"` (string)'],
    [
      { progress: 'on' as never },
      TypeError,
      'Expected `progress` to be a boolean or an object of bar options, got `"on"` (string)',
    ],
    [
      { progress: null as never },
      TypeError,
      'Expected `progress` to be a boolean or an object of bar options, got `null`',
    ],
    [{ total: -1 }, RangeError, 'Expected `total` to be a whole number from 0 up, got `-1` (number)'],
    [{ total: 1.5 }, RangeError, 'Expected `total` to be a whole number from 0 up, got `1.5` (number)'],
    [{ onProgress: 'log' as never }, TypeError, 'Expected `onProgress` to be a function, got `"log"` (string)'],
    [{ taskTimeout: 0 }, RangeError, 'Expected `taskTimeout` to be a number of milliseconds above 0, got `0` (number)'],
    [
      { taskTimeout: Number.NaN },
      RangeError,
      'Expected `taskTimeout` to be a number of milliseconds above 0, got `NaN` (number)',
    ],
    [
      { taskTimeout: '5s' as never },
      TypeError,
      'Expected `taskTimeout` to be a number of milliseconds above 0, got `"5s"` (string)',
    ],
    [{ signal: {} as never }, TypeError, 'Expected `signal` to be an AbortSignal, got an object (Object)'],
    [
      { rateLimit: 'fast' as never },
      TypeError,
      'Expected `rateLimit` to be an object of options, got `"fast"` (string)',
    ],
    [
      { rateLimit: { interval: 10 } as never },
      TypeError,
      'Expected `rateLimit` to be a number of starts per second or { limit, interval, burst }, got an object (Object)',
    ],
    [
      { rateLimit: Number.POSITIVE_INFINITY },
      RangeError,
      'Expected `rateLimit` to be a number of starts above 0, got `Infinity` (number)',
    ],
    [
      { rateLimit: { limit: '5' as never } },
      TypeError,
      'Expected `rateLimit` to be a number of starts above 0, got `"5"` (string)',
    ],
    [
      { retry: { minTimeout: 5 } as never },
      TypeError,
      'Expected `retry` to be a number of retries or { retries, ... }, got an object (Object)',
    ],
    [
      { limits: [] as never, label: () => 'gpu' },
      TypeError,
      'Expected `limits` to be an object of label: count, got an object (Array)',
    ],
    [
      { limits: { gpu: 0 }, label: () => 'gpu' },
      RangeError,
      'Expected `limits.gpu` to be an integer from 1 up, got `0` (number)',
    ],
  ];

  it.each(bad)(
    'refuses %o with the right error class and a message naming the option and the value',
    (given, Kind, message) => {
      let thrown: unknown;
      try {
        resolveMapOptions(given);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Kind);
      expect((thrown as Error).message).toBe(message);
    },
  );
});

describe('resolvePoolOptions', () => {
  it('gives the documented defaults: closeTimeout 10 s, initTimeout 60 s, no maxTasksPerWorker', () => {
    expect(resolvePoolOptions({})).toEqual({
      closeTimeout: 10_000,
      initTimeout: 60_000,
      maxTasksPerWorker: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: 1,
      rateLimit: undefined,
    });
    expect(resolvePoolOptions({ closeTimeout: undefined, initTimeout: undefined })).toEqual(resolvePoolOptions({}));
  });

  it('takes valid values', () => {
    expect(
      resolvePoolOptions({ closeTimeout: 1, initTimeout: 2.5, maxTasksPerWorker: 3, concurrentTasksPerWorker: 4 }),
    ).toEqual({
      closeTimeout: 1,
      initTimeout: 2.5,
      maxTasksPerWorker: 3,
      concurrentTasksPerWorker: 4,
      rateLimit: undefined,
    });
  });

  it('refuses bad values with the right error class, naming the option and the value', () => {
    expect(() => resolvePoolOptions({ closeTimeout: 0 })).toThrow(
      new RangeError('Expected `closeTimeout` to be a number of milliseconds above 0, got `0` (number)'),
    );
    expect(() => resolvePoolOptions({ initTimeout: '1m' as never })).toThrow(
      new TypeError('Expected `initTimeout` to be a number of milliseconds above 0, got `"1m"` (string)'),
    );
    expect(() => resolvePoolOptions({ maxTasksPerWorker: 0 })).toThrow(
      new RangeError('Expected `maxTasksPerWorker` to be an integer from 1 up, got `0` (number)'),
    );
    expect(() => resolvePoolOptions({ maxTasksPerWorker: 1.5 })).toThrow(RangeError);
    expect(() => resolvePoolOptions({ closeTimeout: -5 })).toThrow(RangeError);
  });
});

describe('checkJobs: the ceiling on workers', () => {
  it('allows up to 256 workers and refuses more with a RangeError that says how to go past it', () => {
    expect(JOBS_CEILING).toBe(256);
    expect(checkJobs(256)).toBe(256);
    expect(() => checkJobs(257)).toThrow(RangeError);
    expect(() => checkJobs(10_000)).toThrow(
      'Expected `nJobs` to be at most 256, got `10000`: each worker is a thread or a process with its own memory. For many async tasks at once, use fewer workers; to go past 256, set MTL_MAX_JOBS=10000 in the environment.',
    );
  });

  it('takes its ceiling from MTL_MAX_JOBS when that is a whole number above 0', () => {
    vi.stubEnv('MTL_MAX_JOBS', '1000');
    expect(checkJobs(1000)).toBe(1000);
    expect(() => checkJobs(1001)).toThrow(/at most 1000, got `1001`.*MTL_MAX_JOBS=1001/);
    vi.stubEnv('MTL_MAX_JOBS', '8');
    expect(() => checkJobs(9)).toThrow(/at most 8/);
  });

  it('ignores an MTL_MAX_JOBS that is not a whole number above 0', () => {
    for (const value of ['', 'many', '0', '-5', '2.5']) {
      vi.stubEnv('MTL_MAX_JOBS', value);
      expect(checkJobs(256), `MTL_MAX_JOBS=${value}`).toBe(256);
      expect(() => checkJobs(257), `MTL_MAX_JOBS=${value}`).toThrow(/at most 256/);
    }
  });
});

describe('resolveInline: whether a map runs in the calling thread', () => {
  it('only when asked: inline: true, or nJobs: 1 given', () => {
    expect(resolveInline({})).toBe(false);
    expect(resolveInline({ nJobs: 1 })).toBe(true);
    expect(resolveInline({ nJobs: 2 })).toBe(false);
    expect(resolveInline({ inline: true, nJobs: 4 })).toBe(true);
    expect(resolveInline({ nJobs: 1, inline: false })).toBe(false);
  });

  it('refuses an inline that is not a boolean', () => {
    expect(() => resolveInline({ inline: 1 as never })).toThrow(
      new TypeError('Expected `inline` to be a boolean, got `1` (number)'),
    );
  });
});

describe('the checks backends use', () => {
  it('checkCount, checkOneOf: TypeError for the wrong type, RangeError for a bad value', () => {
    expect(checkCount('n', 3)).toBe(3);
    expect(() => checkCount('n', 3n)).toThrow(
      new TypeError('Expected `n` to be an integer from 1 up, got `3` (bigint)'),
    );
    expect(() => checkCount('n', Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(checkOneOf('mode', 'a', ['a', 'b'])).toBe('a');
    expect(() => checkOneOf('mode', 'c', ['a', 'b'])).toThrow(
      new RangeError("Expected `mode` to be one of 'a', 'b', got `\"c\"` (string)"),
    );
  });

  it('checkEnvAndExecArgv: env an object, execArgv an array of strings; both may be left out', () => {
    expect(() => checkEnvAndExecArgv(undefined, undefined)).not.toThrow();
    expect(() => checkEnvAndExecArgv({ A: '1' }, ['--no-warnings'])).not.toThrow();
    expect(() => checkEnvAndExecArgv('LANG=C', undefined)).toThrow(
      new TypeError('Expected `env` to be an object of strings, got `"LANG=C"` (string)'),
    );
    expect(() => checkEnvAndExecArgv(null, undefined)).toThrow(/`env` to be an object of strings, got `null`/);
    expect(() => checkEnvAndExecArgv(undefined, '--fast')).toThrow(
      new TypeError('Expected `execArgv` to be an array of strings, got `"--fast"` (string)'),
    );
    expect(() => checkEnvAndExecArgv(undefined, [1])).toThrow(
      /`execArgv` to be an array of strings, got an object \(Array\)/,
    );
  });

  it('checkObject takes a plain object or nothing, and pick copies only the names asked for', () => {
    expect(checkObject(undefined, 'options')).toEqual({});
    expect(() => checkObject(4, 'options')).toThrow(
      new TypeError('Expected `options` to be an object of options, got `4` (number)'),
    );
    expect(() => checkObject([], 'options')).toThrow(/got an object \(Array\)/);
    expect(() => checkObject(null, 'options')).toThrow(/got `null`/);
    expect(pick({ a: 1, b: undefined, c: 3 }, ['a', 'b', 'd'])).toEqual({ a: 1, b: undefined });
    expect('b' in pick({ a: 1, b: undefined }, ['b'])).toBe(true);
  });
});

describe('suggestOption and checkKnownKeys: unknown options', () => {
  const known = [...poolOptionNames, ...mapOptionNames];

  it.each([
    ['exceptionBehavior', 'exceptionBehaviour'],
    ['exception_behavior', 'exceptionBehaviour'],
    ['n_jobs', 'nJobs'],
    ['njobs', 'nJobs'],
    ['concurrency', 'nJobs'],
    ['max_workers', 'nJobs'],
    ['is_unordered', 'ordered: false'],
    ['unordered', 'ordered: false'],
    // Python's chunksize is the items per message; mtasklite's chunk_size is the window.
    ['chunksize', 'batchSize'],
    ['chunk_size', 'chunkSize'],
    ['chunk_prefill_ratio', 'chunkPrefillRatio'],
    ['timeout', 'taskTimeout'],
    ['task_timeout', 'taskTimeout'],
    ['maxtasksperchild', 'maxTasksPerWorker'],
    ['tqdm_class', 'progress'],
    ['argument_type', 'argumentType'],
    ['ordred', 'ordered'],
    ['ORDERED', 'ordered'],
    ['nJob', 'nJobs'],
  ])('%s → %s', (unknown, suggestion) => {
    expect(suggestOption(unknown, known)).toBe(suggestion);
  });

  it('suggests nothing when no known name is near', () => {
    expect(suggestOption('colour', known)).toBeUndefined();
    expect(suggestOption('use_threads', known)).toBeUndefined();
    // A near name must be a known one: with none known, nothing is near.
    expect(suggestOption('ordred', [])).toBeUndefined();
  });

  it('does not take a name from Object.prototype for an alias', () => {
    expect(suggestOption('constructor', known)).toBeUndefined();
    expect(suggestOption('__proto__', known)).toBeUndefined();
    expect(suggestOption('toString', known)).toBeUndefined();
  });

  it('checkKnownKeys throws a TypeError naming the key, the suggestion and the known options', () => {
    expect(() => checkKnownKeys({ ordered: true, exceptionBehavior: 'ignore' }, known, 'pqdm (threads)')).toThrow(
      new TypeError(
        `pqdm (threads): unknown option \`exceptionBehavior\`; did you mean \`exceptionBehaviour\`? Known options: ${known.join(', ')}.`,
      ),
    );
    expect(() => checkKnownKeys({ is_unordered: true }, known, 'pool.map')).toThrow(
      /^pool\.map: unknown option `is_unordered`; did you mean `ordered: false`\? Known options: nJobs, /,
    );
  });

  it('an unknown key with no near name ends its sentence with a full stop', () => {
    expect(() => checkKnownKeys({ colour: 'red' }, ['ordered'], 'pqdm')).toThrow(
      new TypeError('pqdm: unknown option `colour`. Known options: ordered.'),
    );
  });

  it('accepts known keys, and keys whose value is undefined only when known', () => {
    expect(() => checkKnownKeys({ ordered: undefined, nJobs: 2 }, known, 'pqdm')).not.toThrow();
    expect(() => checkKnownKeys({ colour: undefined }, known, 'pqdm')).toThrow(/unknown option `colour`/);
  });
});

describe('pqdm and Pool check their arguments before any worker starts', () => {
  const f = (x: number) => x;

  it('pqdm: nJobs as the third argument, options as the third or the fourth', () => {
    const { transport, pqdm } = fakeBackend();
    expect(() => pqdm([1], f, 0)).toThrow(
      new RangeError('Expected `nJobs` to be an integer from 1 up, got `0` (number)'),
    );
    expect(() => pqdm([1], f, '2' as never)).toThrow(
      new TypeError('Expected `nJobs` to be an integer from 1 up, got `"2"` (string)'),
    );
    expect(() => pqdm([1], f, 2, 'fast' as never)).toThrow(
      new TypeError('Expected `options` to be an object of options, got `"fast"` (string)'),
    );
    expect(() => pqdm([1], f, { nJobs: 2 }, { ordered: false })).toThrow(
      new TypeError('pqdm: give options once, as the third or the fourth argument'),
    );
    expect(() => pqdm([1], f, 2, { nJobs: 3 })).toThrow(
      new TypeError('pqdm: nJobs is given twice, as `2` (number) and as options.nJobs `3` (number)'),
    );
    // Its type first: a string is named as such, not as a second nJobs.
    expect(() => pqdm([1], f, '2' as never, { nJobs: 3 })).toThrow(
      new TypeError('Expected `nJobs` to be an integer from 1 up, got `"2"` (string)'),
    );
    expect(() => pqdm([1], f, 2, { ordered: 'yes' as never })).toThrow(/`ordered` to be a boolean/);
    expect(() => pqdm([1], f, { n_jobs: 2 } as never)).toThrow(
      /^pqdm \(fake\): unknown option `n_jobs`; did you mean `nJobs`\?/,
    );
    expect(transport.workers).toHaveLength(0);
  });

  it('nJobs that does not match an array of specs, or an empty array, is a RangeError', () => {
    const { transport, pqdm, Pool } = fakeBackend();
    expect(() => pqdm([1], [f, f], 3)).toThrow(
      new RangeError(
        '`nJobs` (`3` (number)) does not match the number of worker specs (2): leave nJobs out, or give one spec per worker',
      ),
    );
    expect(() => new Pool([f, f], { nJobs: 1 })).toThrow(/does not match the number of worker specs \(2\)/);
    // Its type first, here too.
    expect(() => new Pool([f, f], { nJobs: '2' as never })).toThrow(
      new TypeError('Expected `nJobs` to be an integer from 1 up, got `"2"` (string)'),
    );
    expect(() => pqdm([1] as never, [], 2)).toThrow(
      new RangeError('Expected at least one worker spec, got an empty array'),
    );
    expect(() => pqdm([1], f, 300)).toThrow(/at most 256, got `300`/);
    expect(transport.workers).toHaveLength(0);
  });

  it('new Pool takes pool and map options; pool.map refuses the pool ones, naming where they go', async () => {
    const { transport, Pool } = fakeBackend();
    expect(() => new Pool(f, { nJobs: 2, colour: 1 } as never)).toThrow(
      /^new Pool \(fake\): unknown option `colour`\./,
    );
    expect(() => new Pool(f, { nJobs: 2, closeTimeout: 0 })).toThrow(/`closeTimeout` to be a number of milliseconds/);
    const pool = new Pool(f, { nJobs: 2, ordered: false, maxTasksPerWorker: 5 });
    expect(() => pool.map([1], { nJobs: 3 } as never)).toThrow(
      new TypeError('`nJobs` is an option of the Pool, not of a map: pass it to `new Pool(workers, { nJobs })`'),
    );
    expect(() => pool.map([1], { initTimeout: 5 } as never)).toThrow(/`initTimeout` is an option of the Pool/);
    expect(() => pool.map([1], { exceptionBehavior: 'ignore' } as never)).toThrow(
      /^pool\.map: unknown option `exceptionBehavior`; did you mean `exceptionBehaviour`\?/,
    );
    expect(() => pool.map([1], { ordered: 0 } as never)).toThrow(/`ordered` to be a boolean, got `0`/);
    expect(transport.workers).toHaveLength(0);
    await pool.close();
  });

  it("pool.map names a backend's own option as the Pool's, and pqdm and new Pool hand it to the transport", async () => {
    const transport = new FakeTransport();
    const given: unknown[] = [];
    const { pqdm, Pool } = defineBackend<{ env?: object }>({
      name: 'fake',
      optionNames: ['env'],
      createTransport: (options) => {
        given.push(options);
        return transport;
      },
    });
    const env = { A: '1' };
    const pool = new Pool(f, { nJobs: 2, inline: false, env, ordered: false });
    expect(() => pool.map([1], { env } as never)).toThrow(
      new TypeError('`env` is an option of the Pool, not of a map: pass it to `new Pool(workers, { env })`'),
    );
    await pool.close();
    await pqdm([1], f, { nJobs: 2, inline: false, env, retry: 1 });
    expect(given).toEqual([{ env }, { env }]);
  });
});

describe('retryDelay', () => {
  it('never asks for a wait a timer cannot keep (it would fire after 1 ms)', async () => {
    const { resolveRetry, retryDelay } = await import('../../src/options/retry.js');
    const { MAX_TIMER_MS } = await import('../../src/options/check.js');
    const defaults = resolveRetry(30) as NonNullable<ReturnType<typeof resolveRetry>>;
    expect(retryDelay(defaults, 1)).toBeLessThanOrEqual(2000);
    expect(retryDelay(defaults, 30)).toBe(MAX_TIMER_MS);
  });
});
