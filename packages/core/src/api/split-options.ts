import { pick } from '../options/check.js';
import { type MapOptions, mapOptionNames } from '../options/map.js';
import { type PoolOptions, poolOptionNames } from '../options/pool.js';
import { checkKnownKeys } from '../options/suggest.js';
import type { Backend } from './backend.js';

/** `rateLimit` given to a pool (or to `pqdm`) paces the whole pool; given to `pool.map`, that map. */
const mapDefaultNames = mapOptionNames.filter((name) => name !== 'rateLimit');

/** The options of `pqdm` or `new Pool`, each sent where it acts. */
export interface SplitOptions<B extends object> {
  /** For the pool: the core's pool options. */
  pool: PoolOptions;
  /** For the backend's transport (and its `defaultJobs`). */
  backend: B;
  /** For every map of the pool: its defaults. */
  map: MapOptions;
}

/** Splits the options of `pqdm` or `new Pool`; an unknown key is a TypeError that names `where` and the backend. */
export function splitOptions<B extends object>(options: object, backend: Backend<B>, where: string): SplitOptions<B> {
  const known = [...new Set([...poolOptionNames, ...backend.optionNames, ...mapOptionNames])];
  checkKnownKeys(options, known, `${where} (${backend.name})`);
  return {
    pool: pick(options as PoolOptions, poolOptionNames),
    backend: pick(options as B, backend.optionNames) as B,
    map: pick(options as MapOptions, mapDefaultNames),
  };
}

/**
 * Checks the keys of `pool.map`'s options. One the pool takes (the backend's own too) is a TypeError
 * that says where it goes: "unknown option" would send the user looking for a misspelling.
 */
export function checkMapKeys<B extends object>(options: object, backend: Backend<B>): void {
  const poolOnly: readonly string[] = [...poolOptionNames, ...backend.optionNames].filter(
    (name) => name !== 'rateLimit',
  );
  for (const key of Object.keys(options)) {
    if (!poolOnly.includes(key)) continue;
    throw new TypeError(
      `\`${key}\` is an option of the Pool, not of a map: pass it to \`new Pool(workers, { ${key} })\``,
    );
  }
  checkKnownKeys(options, mapOptionNames, 'pool.map');
}
