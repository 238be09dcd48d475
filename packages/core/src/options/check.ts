import { describeValue } from '../describe.js';
import { checkKnownKeys } from './suggest.js';

const expect = (ok: boolean, Kind: ErrorConstructor, name: string, wanted: string, value: unknown): void => {
  if (!ok) throw new Kind(`Expected \`${name}\` to be ${wanted}, got ${describeValue(value)}`);
};

/**
 * The names of every key of `T`, checked both ways: a name that is not a key, or a key left out,
 * does not compile. Keeps the lists used for validation tied to the option types.
 */
export const keysOf =
  <T>() =>
  <const K extends readonly (keyof T & string)[]>(
    keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> }),
  ): K =>
    keys;

/** Checks an option that may be left out (backends' too); a TypeError names it, what it should be, and what it got. */
export function checkOption(name: string, value: unknown, test: (value: unknown) => boolean, wanted: string): void {
  if (value !== undefined) expect(test(value), TypeError, name, wanted, value);
}

/** For backends: checks `env` and `execArgv`, which the thread and the process backends both take. */
export function checkEnvAndExecArgv(env: unknown, execArgv: unknown): void {
  checkOption('env', env, (v) => typeof v === 'object' && v !== null, 'an object of strings');
  checkOption(
    'execArgv',
    execArgv,
    (v) => Array.isArray(v) && v.every((flag) => typeof flag === 'string'),
    'an array of strings',
  );
}

/** A TypeError when `value` is not of `type`, a RangeError when `ok` refuses it; both say what was `wanted`. */
function checkTyped<T>(type: string, name: string, value: unknown, wanted: string, ok: (value: T) => boolean): T {
  expect(typeof value === type, TypeError, name, wanted, value);
  expect(ok(value as T), RangeError, name, wanted, value);
  return value as T;
}

/** Checks a number option: a TypeError for another type, a RangeError when `ok` refuses it. */
export const checkNumber = (name: string, value: unknown, wanted: string, ok: (value: number) => boolean): number =>
  checkTyped('number', name, value, wanted, ok);

/** Checks a string option: a TypeError for another type, a RangeError when `ok` refuses it. */
export const checkString = (
  name: string,
  value: unknown,
  wanted = 'a string',
  ok: (value: string) => boolean = () => true,
): string => checkTyped('string', name, value, wanted, ok);

/** Checks a whole number option from 1 up; TypeError for the wrong type, RangeError for a bad number. */
export const checkCount = (name: string, value: unknown): number =>
  checkNumber(name, value, 'an integer from 1 up', (n) => Number.isInteger(n) && n >= 1);

/** Checks a string option against its allowed values; TypeError for another type, RangeError for another string. */
export const checkOneOf = <T extends string>(name: string, value: unknown, allowed: readonly T[]): T => {
  const list = allowed.map((a) => `'${a}'`).join(', ');
  return checkString(name, value, `one of ${list}`, (text) => allowed.includes(text as T)) as T;
};

export const checkBoolean = (name: string, value: unknown): boolean =>
  checkTyped('boolean', name, value, 'a boolean', () => true);

export const checkFunction = (name: string, value: unknown): void => {
  expect(typeof value === 'function', TypeError, name, 'a function', value);
};

/** The longest delay a Node timer keeps; a longer one (or Infinity) fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const checkMilliseconds = (name: string, value: unknown): number => {
  checkNumber(name, value, 'a number of milliseconds above 0', (n) => n > 0);
  const longest = `at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest delay a timer keeps)`;
  expect((value as number) <= MAX_TIMER_MS, RangeError, name, longest, value);
  return value as number;
};

/** A number above 0, Infinity included (`retry.maxTimeout`: no cap). */
export const checkPositive = (name: string, value: unknown): number =>
  checkNumber(name, value, 'a number above 0', (n) => n > 0);

/** A rate (per second, per interval): a finite number above 0, as Infinity would make a timer of 0 ms. */
export const checkRate = (name: string, value: unknown, wanted = 'a number above 0'): number =>
  checkNumber(name, value, wanted, (n) => n > 0 && Number.isFinite(n));

export const checkWholeNumber = (name: string, value: unknown): number =>
  checkNumber(name, value, 'a whole number from 0 up', (n) => Number.isInteger(n) && n >= 0);

/** Whether `value` is a stream that can be written to. */
const isWritable = (value: unknown): value is NodeJS.WritableStream =>
  typeof value === 'object' && value !== null && typeof (value as { write?: unknown }).write === 'function';

export const checkWritable = (name: string, value: unknown): NodeJS.WritableStream => {
  expect(isWritable(value), TypeError, name, 'a writable stream', value);
  return value as NodeJS.WritableStream;
};

/** Checks that an options argument is a plain object (or left out); `wanted` says what else it may be. */
export const checkObject = (value: unknown, name: string, wanted = 'an object of options'): object => {
  if (value === undefined) return {};
  expect(typeof value === 'object' && value !== null && !Array.isArray(value), TypeError, name, wanted, value);
  return value as object;
};

/**
 * Checks an option given as a number, which stands for its `key`, or as an object of its own options
 * (`retry: 3` or `{ retries: 3, ... }`): the object's keys must be known, and `key` among them.
 */
export function checkShorthand<T extends object>(
  name: string,
  value: unknown,
  key: keyof T & string,
  names: readonly (keyof T & string)[],
  wanted: string,
): Partial<T> {
  if (typeof value === 'number') return { [key]: value } as Partial<T>;
  const given = checkObject(value, name) as Partial<T>;
  checkKnownKeys(given, names, name);
  expect(given[key] !== undefined, TypeError, name, wanted, value);
  return given;
}

/** The keys of `options` among `names`, as a new object. */
export function pick<T extends object>(options: T, names: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const name of names) if (name in options) out[name] = (options as Record<string, unknown>)[name];
  return out as Partial<T>;
}
