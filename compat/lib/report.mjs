// The results as markdown: the matrix, package hygiene, and what failed or is unsupported, and why.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleVariants } from './bundle.mjs';
import { backends } from './cells.mjs';
import { unsupported } from './expected.mjs';
import { run } from './proc.mjs';
import { root } from './setup.mjs';

const docs = '../docs/compatibility.md';
const kindName = { esm: 'ESM', cjs: 'CommonJS' };

/** How a row reads: where mtl is called from, the project, the worker module. */
export function rowLabel({ context, kind, module }) {
  const where = { script: 'script', REPL: 'REPL', bundle: 'esbuild bundle', vitest: 'vitest test' }[context];
  const what =
    context === 'bundle' ? bundleVariants[module] : module === 'inline' ? 'inline functions' : `work.${module}`;
  return `${where} | ${kindName[kind]} | ${what}`;
}

/** The text of one cell; `plain` for the console. */
export function cellText(outcome, plain = false) {
  const seconds = `${(outcome.ms / 1000).toFixed(1)}s`;
  if (outcome.status === 'pass') return `✅ ${seconds}`;
  if (outcome.status === 'unsupported') return plain ? `🚫 ${outcome.reason.tag}` : `🚫 [${outcome.reason.tag}]`;
  if (outcome.status === 'pass-listed') return `✅ ${seconds} (listed unsupported)`;
  return `❌ ${outcome.note}`;
}

export function markdown({ rows, nodes, outcomes, verdicts, notes, wallMs, failures }) {
  const columns = nodes.flatMap((node) => backends.map((backend) => ({ node, backend })));
  const lines = [
    '# mtl compatibility results',
    '',
    `Written by \`node compat/run.mjs\` (\`pnpm run compat\`) on ${new Date().toISOString().slice(0, 10)}, ` +
      `${process.platform}-${process.arch}, Node ${nodes.map((n) => n.version).join(', ')}, in ${(wallMs / 1000).toFixed(0)} s. ` +
      `✅ passed (its time), 🚫 unsupported as documented, ❌ failed. What the cells mean: [docs/compatibility.md](${docs}).`,
    '',
    `| called from | project | worker module | ${columns.map((c) => `${c.node.label} ${c.backend}`).join(' | ')} |`,
    `|---|---|---|${columns.map(() => '---').join('|')}|`,
  ];
  for (const row of rows) {
    const cells = columns.map((c) => cellText(outcomes.get(key(row, c.node, c.backend))));
    lines.push(`| ${rowLabel(row)} | ${cells.join(' | ')} |`);
  }
  lines.push('', '## Package hygiene', '', '| package | publint | attw (arethetypeswrong) |', '|---|---|---|');
  for (const [name, v] of Object.entries(verdicts)) {
    const mark = (r) => `${r.ok ? '✅' : '❌'} ${r.text}`;
    lines.push(`| ${name} | ${mark(v.publint)} | ${mark(v.attw)} |`);
  }
  if (failures.length) {
    lines.push('', '## Failures', '');
    for (const f of failures) lines.push(`- **${f.note}** ${f.label}, ${f.node} ${f.backend}: \`${f.error}\``);
  }
  lines.push('', '## Unsupported (documented)', '');
  for (const entry of unsupported) lines.push(`- ${entry.tag}: ${entry.what}`);
  lines.push('', ...unsupported.map((entry) => `[${entry.tag}]: ${docs}#${entry.id}`));
  if (notes.length) lines.push('', '## Notes', '', ...notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

export const key = (row, node, backend) => `${row.context}|${row.kind}|${row.module}|${node.label}|${backend}`;

/** Writes compat/results.md, formatted by the repository's formatter (biome) so that lint passes; returns it. */
export async function writeResults(text) {
  const file = join(root, 'compat/results.md');
  await writeFile(file, text);
  const biome = join(root, 'node_modules/.bin/biome');
  if (existsSync(biome)) await run(biome, ['format', '--write', file], { cwd: root });
  return readFile(file, 'utf8');
}
