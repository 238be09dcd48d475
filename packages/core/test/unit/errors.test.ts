import { describe, expect, it } from 'vitest';
import { isException, TaskTimeoutError, WorkerCrashedError } from '../../src/errors/classes.js';
import {
  encodeValues,
  putErrorValues,
  reviveError,
  type SerializedError,
  serializeError,
  withIndex,
} from '../../src/errors/data.js';
import { cloneProbe, jsonProbe } from '../../src/probes.js';
import { transfer } from '../../src/transfer.js';

/** What a worker does to an error, then the boundary, then the parent: serialize, clone, revive. */
const roundTrip = (thrown: unknown, index?: number) =>
  reviveError(structuredClone(serializeError(thrown, cloneProbe)), index);

describe('serializeError → structuredClone → reviveError', () => {
  it('keeps name, message, stack and the built-in class', () => {
    const original = new RangeError('out of range');
    const revived = roundTrip(original);
    expect(revived).toBeInstanceOf(RangeError);
    expect(revived.name).toBe('RangeError');
    expect(revived.message).toBe('out of range');
    expect(revived.stack).toBe(original.stack);
    for (const Kind of [Error, TypeError, SyntaxError, ReferenceError, EvalError, URIError]) {
      expect(roundTrip(new Kind('x'))).toBeInstanceOf(Kind);
    }
  });

  it('keeps own properties such as code, errno and nested data, and sets the index', () => {
    const original = Object.assign(new Error('no such file'), {
      code: 'ENOENT',
      errno: -2,
      details: { path: '/tmp/x', tries: [1, 2] },
      when: new Date(0),
    });
    const revived = roundTrip(original, 7) as Error & Record<string, unknown>;
    expect(revived.code).toBe('ENOENT');
    expect(revived.errno).toBe(-2);
    expect(revived.details).toEqual({ path: '/tmp/x', tries: [1, 2] });
    expect(revived.when).toEqual(new Date(0));
    expect(revived.index).toBe(7);
    expect(Object.keys(revived)).toEqual(expect.arrayContaining(['code', 'errno', 'details', 'when', 'index']));
  });

  it('keeps a cause chain of errors and a cause that is plain data', () => {
    const root = Object.assign(new TypeError('socket hang up'), { code: 'ECONNRESET' });
    const middle = new Error('request failed', { cause: root });
    const top = new RangeError('job failed', { cause: middle });
    const revived = roundTrip(top);
    const cause = revived.cause as Error;
    expect(cause).toBeInstanceOf(Error);
    expect(cause.message).toBe('request failed');
    expect(cause.stack).toBe(middle.stack);
    const rootCause = cause.cause as Error & { code: string };
    expect(rootCause).toBeInstanceOf(TypeError);
    expect(rootCause.message).toBe('socket hang up');
    expect(rootCause.code).toBe('ECONNRESET');
    expect(roundTrip(new Error('x', { cause: { status: 503 } })).cause).toEqual({ status: 503 });
    expect(roundTrip(new Error('x', { cause: 0 })).cause).toBe(0);
    expect('cause' in roundTrip(new Error('no cause'))).toBe(false);
  });

  it('keeps errors held in properties (AggregateError-like `errors`, a wrapped `original`) as errors', () => {
    const original = Object.assign(new Error('outer'), { original: new SyntaxError('inner') });
    const revived = roundTrip(original) as Error & { original: Error };
    expect(revived.original).toBeInstanceOf(SyntaxError);
    expect(revived.original.message).toBe('inner');
  });

  it('keeps the name of a user-defined error class, on a plain Error', () => {
    class HttpError extends Error {
      override name = 'HttpError';
      status = 404;
    }
    const revived = roundTrip(new HttpError('not found')) as Error & { status: number };
    expect(revived.name).toBe('HttpError');
    expect(revived.status).toBe(404);
    expect(Object.getPrototypeOf(revived)).toBe(Error.prototype);
    expect(String(revived)).toBe('HttpError: not found');
  });

  it.each(['toString', '__proto__', 'constructor', 'valueOf', 'hasOwnProperty'])(
    'an error named %s comes back as a plain Error with that name',
    (name) => {
      const hostile = new Error(`named ${name}`);
      Object.defineProperty(hostile, 'name', { value: name, enumerable: false });
      const revived = roundTrip(hostile);
      expect(Object.getPrototypeOf(revived)).toBe(Error.prototype);
      expect(revived.name).toBe(name);
      expect(revived.message).toBe(`named ${name}`);
      expect(isException(revived)).toBe(true);
    },
  );

  it('drops the properties and the cause that the probe refuses, and keeps the rest', () => {
    // The axios shape: a code worth keeping beside a config full of functions.
    const original = Object.assign(new Error('request failed', { cause: { retry: () => 0 } }), {
      code: 'ERR_BAD_RESPONSE',
      config: { transform: [() => 0] },
      handler: () => 1,
      tag: Symbol('tag'),
    });
    const data = serializeError(original, cloneProbe);
    expect(data.props).toEqual({ code: 'ERR_BAD_RESPONSE' });
    expect(data.cause).toBeUndefined();
    expect(() => structuredClone(data)).not.toThrow();
    const revived = roundTrip(original) as Error & Record<string, unknown>;
    expect(revived.code).toBe('ERR_BAD_RESPONSE');
    expect('config' in revived).toBe(false);
  });

  it('without a probe, still leaves out functions and symbols; with the JSON probe, what JSON refuses', () => {
    const original = Object.assign(new Error('x', { cause: 5n }), {
      f: () => 0,
      s: Symbol('s'),
      n: 10n,
      nested: { n: 1n },
      ok: 'yes',
    });
    expect(serializeError(original).props).toEqual({ n: 10n, nested: { n: 1n }, ok: 'yes' });
    // A BigInt, even as a bare value, is what JSON cannot encode: left out, or the whole reply would fail.
    const json = serializeError(original, jsonProbe);
    expect(json.props).toEqual({ ok: 'yes' });
    expect(json.cause).toBeUndefined();
    expect(() => JSON.stringify(json)).not.toThrow();
    expect(() => JSON.stringify(serializeError(7n, jsonProbe))).not.toThrow();
  });

  it('never throws on an error whose fields cannot be read: it sends what could be read', () => {
    const hostile = new Error('kept');
    // `stack` first: V8 formats a stack lazily, reading `name` when it does.
    for (const key of ['stack', 'name', 'cause']) {
      Object.defineProperty(hostile, key, {
        get() {
          throw new Error(`no ${key} for you`);
        },
        enumerable: key === 'cause',
        configurable: true,
      });
    }
    Object.defineProperty(hostile, 'secret', {
      get() {
        throw new Error('no secret');
      },
      enumerable: true,
    });
    let data: SerializedError | undefined;
    expect(() => {
      data = serializeError(hostile, cloneProbe);
    }).not.toThrow();
    expect(data?.name).toBe('Error');
    expect(data?.message).toBe('kept');
    expect(data?.stack).toBeUndefined();
    expect(roundTrip(hostile).message).toBe('kept');
  });

  it('never throws on a proxy whose traps throw, nor on a message that is not a string', () => {
    const proxy = new Proxy(new Error('behind a proxy'), {
      ownKeys() {
        throw new Error('no keys');
      },
    });
    expect(serializeError(proxy).message).toBe('behind a proxy');
    const odd = new Error('x');
    Object.defineProperty(odd, 'message', { value: { toString: () => 'from toString' } });
    expect(serializeError(odd).message).toBe('from toString');
    const worse = new Error('x');
    Object.defineProperty(worse, 'message', {
      value: {
        toString() {
          throw new Error('no');
        },
      },
    });
    expect(serializeError(worse).message).toBe('');
  });

  it('stops a cause chain at a depth of 8, so a cycle or a very deep chain ends', () => {
    const cyclic = new Error('me again');
    (cyclic as { cause?: unknown }).cause = cyclic;
    const revived = roundTrip(cyclic);
    let depth = 0;
    for (let at: unknown = revived; at instanceof Error; at = at.cause) depth++;
    expect(depth).toBe(9);
  });

  it('turns a thrown non-Error into an Error that says what was thrown, and keeps the value when it can travel', () => {
    const fromString = roundTrip('boom') as Error & { value?: unknown };
    expect(fromString).toBeInstanceOf(Error);
    expect(fromString.message).toBe('a non-Error value was thrown: `"boom"` (string)');
    expect(fromString.value).toBe('boom');
    const fromObject = roundTrip({ weird: 1 }) as Error & { value?: unknown };
    expect(fromObject.message).toBe('a non-Error value was thrown: an object (Object)');
    expect(fromObject.value).toEqual({ weird: 1 });
    const fromFunction = roundTrip(() => 0) as Error & { value?: unknown };
    expect(fromFunction.message).toMatch(/^a non-Error value was thrown: a function/);
    expect('value' in fromFunction).toBe(false);
    expect(roundTrip(undefined).message).toBe('a non-Error value was thrown: `undefined` (undefined)');
  });

  it('revives malformed data without throwing', () => {
    const revived = reviveError({ name: 5, message: 6 } as never);
    expect(revived.name).toBe('Error');
    expect(revived.message).toBe('6');
  });
});

describe('withIndex', () => {
  it('sets the input index on an error made in this thread, and leaves other values alone', () => {
    const error = withIndex(new WorkerCrashedError('died', 1, null, 0), 4);
    expect(error.index).toBe(4);
    expect(withIndex(new TaskTimeoutError(100, 1), 9).index).toBe(9);
    expect(withIndex('not an error', 3)).toBe('not an error');
  });
});

describe('encodeValues / putErrorValues: errors passed as data, values moved', () => {
  it('returns undefined, and copies nothing, when no value is an Error', () => {
    expect(encodeValues([1, 'two', { three: 3 }, null, undefined])).toBeUndefined();
  });

  it('takes errors out, leaving holes in a copy, and puts them back revived with their fields', () => {
    const coded = Object.assign(new RangeError('bad'), { code: 'E_BAD' });
    const values: unknown[] = [1, coded, 'x', new Error('second')];
    const taken = encodeValues(values, cloneProbe);
    expect(taken).toBeDefined();
    const { values: rest, errors = [] } = taken as NonNullable<typeof taken>;
    expect(values[1]).toBe(coded); // the original is not changed
    expect(rest).toEqual([1, undefined, 'x', undefined]);
    expect(errors.map(([at]) => at)).toEqual([1, 3]);
    const [crossedValues, crossedErrors] = structuredClone([rest, errors]);
    putErrorValues(crossedValues, crossedErrors);
    expect(crossedValues[0]).toBe(1);
    expect(crossedValues[2]).toBe('x');
    const back = crossedValues[1] as RangeError & { code: string };
    expect(back).toBeInstanceOf(RangeError);
    expect(back.message).toBe('bad');
    expect(back.code).toBe('E_BAD');
    expect(back.stack).toBe(coded.stack);
    expect((crossedValues[3] as Error).message).toBe('second');
  });

  it('unwraps transfer() and lists each buffer once; leaves errors alone where nothing is cloned', () => {
    const a = new Float64Array(4);
    const b = new Uint8Array(8);
    const shared = { a, again: a };
    const values: unknown[] = [transfer(a), transfer(shared, [a.buffer, a.buffer]), transfer(b), 5];
    const encoded = encodeValues(values) as NonNullable<ReturnType<typeof encodeValues>>;
    expect(encoded.values).toEqual([a, shared, b, 5]);
    expect(encoded.transfer).toEqual([a.buffer, b.buffer]);
    const error = new Error('as data');
    expect(encodeValues([error], undefined, false)).toBeUndefined();
    expect(() => transfer({ plain: 1 })).toThrow(/give the buffers to move/);
  });
});

describe('error classes', () => {
  it('WorkerCrashedError and TaskTimeoutError carry their names and fields; isException tells errors apart', () => {
    const crashed = new WorkerCrashedError('worker 1 exited with code 3', 3, null, 1, { cause: new Error('why') });
    expect(crashed.name).toBe('WorkerCrashedError');
    expect([crashed.exitCode, crashed.signal, crashed.workerIndex]).toEqual([3, null, 1]);
    expect((crashed.cause as Error).message).toBe('why');
    const timedOut = new TaskTimeoutError(250, 2);
    expect(timedOut.name).toBe('TaskTimeoutError');
    expect(timedOut.message).toBe('the task ran longer than taskTimeout (250 ms); its worker was stopped and replaced');
    expect(isException(crashed) && isException(timedOut)).toBe(true);
    expect(isException({ name: 'Error', message: 'looks like one' })).toBe(false);
  });
});
