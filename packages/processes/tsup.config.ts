import { defineConfig, type Options } from 'tsup';

const library: Options = { entry: ['src/index.ts'], dts: true, sourcemap: true, target: 'node20', shims: true };

export default defineConfig([
  { ...library, format: ['esm'], clean: true },
  {
    // execa and its dependencies are ESM only: bundled into the CJS build, so that require('@mtl/processes')
    // needs no require(esm) (Node < 20.19 and < 22.12) and works under tsx's CommonJS loader.
    ...library,
    format: ['cjs'],
    noExternal: [/^(?!@mtl\/)/],
  },
  {
    // One worker entry, ESM, started by both the ESM and the CJS build.
    entry: ['src/processes-worker.ts'],
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
  },
]);
