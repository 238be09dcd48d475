import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts', 'src/worker.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    shims: true,
  },
  {
    // The `mtl-worker` bin, which a launcher starts on the worker's host: one CommonJS file with the
    // core's worker runtime inside, so that it starts without Node's ESM loader or a package lookup,
    // and runs wherever this file is (a shared file system, or a copy in the same place on each host).
    entry: ['src/mtl-worker.ts'],
    format: ['cjs'],
    noExternal: ['@mtl/core'],
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
