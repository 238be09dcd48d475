import { defineConfig, type Options } from 'tsup';
import { workerEntry } from '../../scripts/tsup-options.js';

// execa and its dependencies are bundled into both builds: one file loads in about a third of the
// time of execa's many modules (bench/results/6-cold-start.md, import column), and require('@mtl/processes')
// needs no require(esm) (Node < 20.19 and < 22.12) and works under tsx's CommonJS loader. Their
// licences go to dist/THIRD-PARTY-LICENSES.md (scripts/bundled-licenses.mjs, from the metafiles).
const library: Options = {
  entry: ['src/index.ts', 'src/worker.ts'],
  dts: true,
  sourcemap: true,
  target: 'node20',
  shims: true,
  noExternal: [/^(?!@mtl\/)/],
  metafile: true,
};

export default defineConfig([
  {
    ...library,
    format: ['esm'],
    clean: true,
    // the bundled CommonJS dependencies of execa call require()
    banner: {
      js: "import { createRequire as mtlCreateRequire } from 'node:module'; const require = mtlCreateRequire(import.meta.url);",
    },
  },
  { ...library, format: ['cjs'] },
  workerEntry('src/processes-worker.ts'),
]);
