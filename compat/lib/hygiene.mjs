// Package hygiene: publint and arethetypeswrong (attw) on each packed tarball.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './proc.mjs';
import { root } from './setup.mjs';

const bin = (name) => join(root, 'node_modules/.bin', name);

/** publint's verdict: `All good!`, or its messages (errors fail; warnings and suggestions are shown). */
async function publint(tarball) {
  if (!existsSync(bin('publint'))) return { ok: false, text: 'not installed (run `pnpm install`)' };
  const { code, stdout, stderr } = await run(bin('publint'), ['run', tarball], { timeout: 120_000 });
  const messages = stdout.split('Linting...')[1]?.trim() ?? `${stdout}${stderr}`.trim();
  if (code === 0 && messages === 'All good!') return { ok: true, text: 'all good' };
  return { ok: code === 0, text: messages.replace(/\s*\n\s*/g, ' ').slice(0, 400) };
}

/** attw's verdict over every entry point and resolution mode (node10, node16 CJS and ESM, bundler). */
async function attw(tarball) {
  if (!existsSync(bin('attw'))) return { ok: false, text: 'not installed (run `pnpm install`)' };
  const { stdout, stderr } = await run(bin('attw'), [tarball, '--format', 'json'], { timeout: 120_000 });
  try {
    const { problems } = JSON.parse(stdout);
    const list = Array.isArray(problems) ? problems : Object.values(problems ?? {}).flat();
    if (list.length === 0) return { ok: true, text: 'no problems' };
    const described = list.map((p) => `${p.kind} (${p.entrypoint ?? ''} ${p.resolutionKind ?? ''})`.trim());
    return { ok: false, text: [...new Set(described)].join('; ') };
  } catch {
    return { ok: false, text: `attw failed: ${`${stdout}${stderr}`.trim().slice(0, 300)}` };
  }
}

/** Both verdicts for each package, by name. */
export async function hygiene(tarballs) {
  const verdicts = {};
  for (const [name, tarball] of Object.entries(tarballs)) {
    const [lint, types] = await Promise.all([publint(tarball), attw(tarball)]);
    verdicts[`@mtl/${name}`] = { publint: lint, attw: types };
  }
  return verdicts;
}
