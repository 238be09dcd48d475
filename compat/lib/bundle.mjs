// The bundled app: main.js bundled by esbuild, the worker module (work.js) shipped beside it, unbundled.
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { mustRun } from './proc.mjs';

/** How the app is bundled. The ids are the rows of the table. */
export const bundleVariants = {
  external: 'mtl kept external',
  inlined: 'mtl inlined',
  entry: 'mtl inlined + its worker entry',
};

// ESM bundles that inline CommonJS packages (cli-progress) need a `require`: esbuild's usual banner.
const requireBanner =
  "--banner:js=import { createRequire as mtlCompatRequire } from 'node:module'; const require = mtlCompatRequire(import.meta.url);";

const esbuild = (project, entry, outfile, extra = []) => {
  const format = project.kind === 'esm' ? 'esm' : 'cjs';
  const args = [entry, '--bundle', '--platform=node', '--target=node20', `--format=${format}`, `--outfile=${outfile}`];
  if (format === 'esm' && !extra.includes('--external:@mtl/*')) args.push(requireBanner);
  return mustRun(project.esbuild, [...args, '--log-level=error', ...extra], { cwd: project.home });
};

/** Each backend's worker entry, in node_modules/@mtl/<backend>/dist: one self-contained CommonJS file. */
const workerEntries = { threads: 'threads-worker.cjs', processes: 'processes-worker.cjs', remote: 'mtl-worker.cjs' };

/**
 * Builds every variant for a project and each of `backends`; returns the folder of each (variant,
 * backend). `entry` copies the backend's worker entry beside the app.
 */
export async function buildBundles(project, backends) {
  const dirs = {};
  for (const backend of backends) {
    for (const variant of Object.keys(bundleVariants)) {
      const dir = join(project.home, 'bundles', `${variant}-${backend}`);
      await mkdir(dir, { recursive: true });
      await esbuild(project, 'main.js', join(dir, 'main.js'), variant === 'external' ? ['--external:@mtl/*'] : []);
      if (variant === 'entry') {
        const file = workerEntries[backend];
        await copyFile(join(project.home, 'node_modules', '@mtl', backend, 'dist', file), join(dir, file));
      }
      await copyFile(join(project.home, 'work.js'), join(dir, 'work.js'));
      dirs[`${variant}-${backend}`] = dir;
    }
  }
  return dirs;
}
