// The build options every package shares, for the packages' tsup.config.ts.
import type { Options } from 'tsup';

/** A package's library entries, as ESM and CommonJS with their types. */
export const library = (entry: string[]): Options => ({
  entry,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  shims: true,
});

/**
 * A worker entry: one CommonJS file with the core's worker runtime inside, started by both the ESM
 * and the CJS build, so that a worker starts without Node's ESM loader or a package lookup.
 */
export const workerEntry = (entry: string, extra: Options = {}): Options => ({
  entry: [entry],
  format: ['cjs'],
  noExternal: ['@mtl/core'],
  sourcemap: true,
  target: 'node20',
  ...extra,
});
