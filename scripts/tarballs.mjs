// `npm run tarballs`: installs and builds the workspace (as `npm run setup` does), then packs the
// packages into tarballs/, ready for `npm install` in another project until they are on the registry.
import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pnpm } from './pnpm.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = fileURLToPath(new URL('../tarballs/', import.meta.url));
execSync(`${JSON.stringify(process.execPath)} scripts/setup.mjs`, { cwd: root, stdio: 'inherit' });

rmSync(out, { recursive: true, force: true });
mkdirSync(out);
for (const name of ['core', 'threads', 'processes', 'remote']) {
  // pnpm pack turns the workspace:* dependency on @mtl/core into its version.
  execFileSync(pnpm[0], [...pnpm.slice(1), 'pack', '--pack-destination', out], {
    cwd: fileURLToPath(new URL(`../packages/${name}/`, import.meta.url)),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
const files = readdirSync(out).map((file) => `${out}${file}`);
console.log(`\nPacked into ${out}:\n${files.map((file) => `  ${file}`).join('\n')}`);
console.log(
  `\nIn your project (with @mtl/processes or @mtl/remote as well if you want worker processes or remote workers):`,
);
console.log(`  npm install ${files.filter((file) => !/processes|remote/.test(file)).join(' ')}`);
