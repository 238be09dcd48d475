import { describeValue } from '../describe.js';

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

/** For backends: checks an option that may be left out; a TypeError names it, what it should be, and what it got. */
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

/** Checks a whole number option from 1 up; TypeError for the wrong type, RangeError for a bad number. */
export function checkCount(name: string, value: unknown): number {
  expect(typeof value === 'number', TypeError, name, 'an integer from 1 up', value);
  expect(Number.isInteger(value) && (value as number) >= 1, RangeError, name, 'an integer from 1 up', value);
  return value as number;
}

/** Checks a string option against its allowed values; TypeError for another type, RangeError for another string. */
export const checkOneOf = <T extends string>(name: string, value: unknown, allowed: readonly T[]): T => {
  const list = allowed.map((a) => `'${a}'`).join(', ');
  expect(typeof value === 'string', TypeError, name, `one of ${list}`, value);
  expect(allowed.includes(value as T), RangeError, name, `one of ${list}`, value);
  return value as T;
};

export const checkBoolean = (name: string, value: unknown): boolean => {
  expect(typeof value === 'boolean', TypeError, name, 'a boolean', value);
  return value as boolean;
};

export const checkFunction = (name: string, value: unknown): void => {
  expect(typeof value === 'function', TypeError, name, 'a function', value);
};

/** The longest delay a Node timer keeps; a longer one (or Infinity) fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const checkMilliseconds = (name: string, value: unknown): number => {
  expect(typeof value === 'number', TypeError, name, 'a number of milliseconds above 0', value);
  expect((value as number) > 0, RangeError, name, 'a number of milliseconds above 0', value);
  expect(
    (value as number) <= MAX_TIMER_MS,
    RangeError,
    name,
    `at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest delay a timer keeps)`,
    value,
  );
  return value as number;
};

export const checkPositive = (name: string, value: unknown): number => {
  expect(typeof value === 'number', TypeError, name, 'a number above 0', value);
  expect((value as number) > 0, RangeError, name, 'a number above 0', value);
  return value as number;
};

export const checkWholeNumber = (name: string, value: unknown): number => {
  expect(typeof value === 'number', TypeError, name, 'a whole number from 0 up', value);
  expect(Number.isInteger(value) && (value as number) >= 0, RangeError, name, 'a whole number from 0 up', value);
  return value as number;
};

export const checkString = (name: string, value: unknown): void => {
  expect(typeof value === 'string', TypeError, name, 'a string', value);
};

/** Checks that an options argument is a plain object (or left out). */
export const checkObject = (value: unknown, name: string): object => {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected \`${name}\` to be an object of options, got ${describeValue(value)}`);
  }
  return value;
};

/** The keys of `options` among `names`, as a new object. */
export function pick<T extends object>(options: T, names: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const name of names) if (name in options) out[name] = (options as Record<string, unknown>)[name];
  return out as Partial<T>;
}
