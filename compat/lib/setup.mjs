// Set-up: build and pack mtl, fetch the Node binaries, install the throw-away projects the way users do.

import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpm } from '../../scripts/pnpm.mjs';
import { mustRun, run } from './proc.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const cache = join(root, 'compat/.cache');
const packages = ['core', 'threads', 'processes', 'remote'];

/** The tools the throw-away projects install, pinned to what the repository itself uses. */
const tools = { tsx: '4.23.15', vitest: '3.2.7', esbuild: '0.28.2' };

/** `pnpm run build`, then `pnpm pack` of each package (workspace:* becomes the version). Returns the tarballs. */
export async function buildAndPack(dir, { build }) {
  const [cmd, ...pre] = pnpm;
  if (build) await mustRun(cmd, [...pre, 'run', 'build'], { cwd: root });
  const packs = join(dir, 'packs');
  await mkdir(packs, { recursive: true });
  for (const name of packages) {
    await mustRun(cmd, [...pre, 'pack', '--pack-destination', packs], { cwd: join(root, 'packages', name) });
  }
  const files = await readdir(packs);
  const tarball = (name) =>
    join(
      packs,
      files.find((f) => f.startsWith(`mtl-${name}-`)),
    );
  return Object.fromEntries(packages.map((name) => [name, tarball(name)]));
}

/**
 * The Node binaries, one per spec (`20`, `22`, `20.5.0`), in the order given: this machine's Node when
 * it matches the spec, else the newest match of the registry's node-<platform>-<arch> package, cached
 * in compat/.cache. A version that cannot be had is left out, with a note.
 */
export async function nodeBinaries(specs, notes) {
  const nodes = [];
  for (const spec of specs) {
    const bin = `${process.versions.node}.`.startsWith(`${spec}.`) ? process.execPath : await download(spec, notes);
    if (!bin) continue;
    const { stdout } = await run(bin, ['--version'], { timeout: 10_000 });
    nodes.push({ label: spec, bin, version: stdout.trim() });
  }
  return nodes;
}

async function download(spec, notes) {
  const pkg = `node-${process.platform}-${process.arch}`;
  const prefix = join(cache, `node-${spec}`);
  const bin = join(prefix, 'node_modules', pkg, 'bin', 'node');
  if (existsSync(bin)) return bin;
  const args = ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${pkg}@${spec}`];
  const result = await run('npm', args, { timeout: 300_000 });
  if (result.code === 0 && existsSync(bin)) return bin;
  notes.push(`Node ${spec} left out: \`npm install ${pkg}@${spec}\` failed: ${lastLine(result.stderr)}`);
  return undefined;
}

const lastLine = (text) => text.trim().split('\n').pop() ?? '';

/** Which fixture becomes which file, per project kind: ESM (`"type": "module"`) or CommonJS. */
const layout = {
  esm: {
    'main.js': 'main.esm.js',
    'mtl.test.js': 'mtl.esm.test.js',
    'work.js': 'work.esm.js',
    'work.mjs': 'work.esm.js',
    'work.cjs': 'work.cjs.js',
    'work.ts': 'work.esm.ts',
  },
  cjs: {
    'main.js': 'main.cjs.js',
    'mtl.test.js': 'mtl.cjs.test.js',
    'work.js': 'work.cjs.js',
    'work.mjs': 'work.esm.js',
    'work.cjs': 'work.cjs.js',
    'work.ts': 'work.cjs.ts',
  },
};

/** Creates and installs one throw-away project: the packed tarballs through npm, plus tsx, vitest and esbuild. */
export async function project(dir, kind, tarballs) {
  const home = join(dir, kind);
  await mkdir(home, { recursive: true });
  const manifest = {
    name: `mtl-compat-${kind}`,
    private: true,
    type: kind === 'esm' ? 'module' : 'commonjs',
    dependencies: {
      '@mtl/core': `file:${tarballs.core}`,
      '@mtl/threads': `file:${tarballs.threads}`,
      '@mtl/processes': `file:${tarballs.processes}`,
      '@mtl/remote': `file:${tarballs.remote}`,
    },
    devDependencies: tools,
    // The backends depend on @mtl/core by version: take it from the tarball, not from the registry.
    overrides: { '@mtl/core': '$@mtl/core' },
  };
  await writeFile(join(home, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [file, fixture] of Object.entries(layout[kind])) await copyFile(join(fixtures, fixture), join(home, file));
  await mustRun('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: home });
  const { bin } = JSON.parse(await readFile(join(home, 'node_modules/tsx/package.json'), 'utf8'));
  const tsx = join(home, 'node_modules/tsx', typeof bin === 'string' ? bin : bin.tsx);
  return { kind, home, tsx, esbuild: join(home, 'node_modules/.bin/esbuild') };
}
