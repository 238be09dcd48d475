// bench/results/README.md: the headline figures and the targets of every case run so far, read back
// from results/data/*.json (each case writes its own when it runs, so one case can be re-run alone).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { table } from './harness.mjs';

export function writeSummary(results, machine) {
  const dir = new URL('data/', results);
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
  const headline = cases.flatMap((c) =>
    c.headline.map((row, i) => [i === 0 ? `[${c.title}](${c.file}.md)` : '', ...row]),
  );
  const targets = cases.flatMap((c) => c.targets.map((t) => [t.target, t.figure, `**${t.status}**`]));
  const sources = cases.map(
    (c) => `- [${c.file}.md](${c.file}.md): \`${c.command}\`, ${c.runs} round(s)${c.quick ? ', **quick mode**' : ''}`,
  );
  const analysis = existsSync(new URL('analysis.md', results))
    ? '\nWhat limits the figures, and why some targets are not met: [analysis.md](analysis.md) (written by hand).\n'
    : '';
  const charts = cases.filter((c) => c.chart).map((c) => `![${c.title}](${c.file}.svg)`);
  const markdown = `# mtl against its peers and the raw floor

All figures are medians (min–max) over fresh \`node\` processes, the runners of a case interleaved;
"÷" is mtl's figure divided by the other's, taken round by round. 2 workers unless said otherwise.
Run everything with \`pnpm bench\` at the root (\`node bench/run.mjs\`), one case with
\`node bench/run.mjs trivial\`, a quick smoke run with \`--quick\`. Each case's file has the full table,
its method and its machine.

## Headline

${table(['case', 'figure', '@mtl/threads', '@mtl/processes', 'peers', 'raw floor'], headline)}

## Targets

${table(['target', 'measured', 'status'], targets)}
${analysis}
## Sources

${sources.join('\n')}

${charts.join('\n\n')}

Machine of the last run:
${machine}
`;
  writeFileSync(new URL('README.md', results), markdown);
}
