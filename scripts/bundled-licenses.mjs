// Writes dist/THIRD-PARTY-LICENSES.md for the packages a build bundled (from tsup's metafiles, which it
// then removes): run in a package's folder after `tsup`. Bundled code carries its licence with it.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = 'dist';
const metafiles = readdirSync(dist).filter((file) => /^metafile-.*\.json$/.test(file));
const roots = new Set();
for (const file of metafiles) {
  for (const input of Object.keys(JSON.parse(readFileSync(join(dist, file), 'utf8')).inputs)) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const parts = input.slice(at + 'node_modules/'.length).split('/');
    roots.add(`${input.slice(0, at)}node_modules/${parts.slice(0, parts[0].startsWith('@') ? 2 : 1).join('/')}`);
  }
  rmSync(join(dist, file));
}

const sections = [...roots]
  .map((root) => {
    const { name, version, license } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const file = readdirSync(root).find((f) => /^licen[cs]e/i.test(f));
    const text = file ? readFileSync(join(root, file), 'utf8').trim() : `License: ${license}`;
    return { name, text: `## ${name}@${version} (${license})\n\n\`\`\`text\n${text}\n\`\`\`\n` };
  })
  .sort((a, b) => a.name.localeCompare(b.name));
writeFileSync(
  join(dist, 'THIRD-PARTY-LICENSES.md'),
  `# Third-party licences\n\nThis package's dist/ bundles code of the packages below.\n\n${sections.map((s) => s.text).join('\n')}`,
);
console.log(`bundled-licenses: ${sections.length} package(s) in ${join(dist, 'THIRD-PARTY-LICENSES.md')}`);
