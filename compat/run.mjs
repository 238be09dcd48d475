// mtl's compatibility suite: install the packed packages into throw-away ESM and CommonJS projects, as
// users do, and run one small map on each backend (threads, processes, remote under `command([])`)
// from scripts, tsx, the REPL, a bundle and vitest, on Node 20, 22 and 24. Prints the matrix and
// writes it to compat/results.md; exits 1 on a failure that docs/compatibility.md does not list as
// unsupported.
//
//   node compat/run.mjs [--skip-build] [--keep] [--nodes 20,22,24] [--jobs N]
// --nodes takes majors or exact versions (20.5.0); --skip-build packs the packages as they are built.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBundles } from './lib/bundle.mjs';
import { backends, rows, runBundle, runRepl, runScript, runVitest } from './lib/cells.mjs';
import { classify } from './lib/expected.mjs';
import { hygiene } from './lib/hygiene.mjs';
import { pool } from './lib/proc.mjs';
import { cellText, key, markdown, rowLabel, writeResults } from './lib/report.mjs';
import { buildAndPack, nodeBinaries, project } from './lib/setup.mjs';

const { values: flags } = parseArgs({
  options: {
    'skip-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    nodes: { type: 'string', default: '20,22,24' },
    jobs: { type: 'string', default: String(Math.min(2, availableParallelism())) },
  },
});

const started = performance.now();
const log = (line) => process.stderr.write(`${line}\n`);
const step = async (what, fn) => {
  const t = performance.now();
  const value = await fn();
  log(`· ${what} (${((performance.now() - t) / 1000).toFixed(1)}s)`);
  return value;
};

const dir = await mkdtemp(join(tmpdir(), 'mtl-compat-'));
const notes = [];
let exitCode = 0;
try {
  const tarballs = await step(flags['skip-build'] ? 'pack' : 'build and pack', () =>
    buildAndPack(dir, { build: !flags['skip-build'] }),
  );
  const specs = flags.nodes.split(',');
  const [nodes, projects, verdicts] = await Promise.all([
    step('Node binaries', () => nodeBinaries(specs, notes)),
    step('npm install of the ESM and CommonJS projects', async () => {
      const [esm, cjs] = await Promise.all([project(dir, 'esm', tarballs), project(dir, 'cjs', tarballs)]);
      return { esm, cjs };
    }),
    step('publint and attw', () => hygiene(tarballs)),
  ]);
  log(`· Node: ${nodes.map((n) => n.version).join(', ')}`);
  const bundles = await step('esbuild bundles', async () => ({
    esm: await buildBundles(projects.esm, backends),
    cjs: await buildBundles(projects.cjs, backends),
  }));

  // Cells, Node by Node in the order given: quick scripts, then the REPL, bundles and vitest.
  const outcomes = new Map();
  const failures = [];
  const record = (cell, verdict) => {
    const outcome = classify(cell, verdict);
    if (outcome.status === 'fail') {
      outcome.note = `F${failures.length + 1}`;
      failures.push({ ...outcome, label: rowLabel(cell), node: cell.node.version, backend: cell.backend });
    }
    if (outcome.status === 'pass-listed') {
      notes.push(
        `${rowLabel(cell)}, ${cell.node.version} ${cell.backend}: passes, yet is listed as unsupported: update compat/lib/expected.mjs and docs/compatibility.md.`,
      );
    }
    outcomes.set(key(cell, cell.node, cell.backend), outcome);
    log(
      `${cellText(outcome, true).padEnd(14)} ${cell.node.version} ${cell.backend.padEnd(9)} ${rowLabel(cell)}${verdict.ok ? '' : `: ${verdict.error}`}`,
    );
  };
  const tasks = [];
  for (const node of nodes) {
    for (const row of rows()) {
      if (row.context === 'vitest') continue;
      for (const backend of backends) {
        const cell = { ...row, node, backend };
        const runner = { script: runScript, REPL: runRepl, bundle: runBundle }[row.context];
        const target = row.context === 'bundle' ? bundles[row.kind] : projects[row.kind];
        tasks.push(async () => record(cell, await runner(cell, target)));
      }
    }
    for (const kind of ['esm', 'cjs']) {
      tasks.push(async () => {
        const verdictOf = await runVitest(node, projects[kind]);
        for (const row of rows().filter((r) => r.context === 'vitest' && r.kind === kind)) {
          for (const backend of backends) record({ ...row, node, backend }, verdictOf(`${backend} ${row.module}`));
        }
      });
    }
  }
  await pool(tasks, Number(flags.jobs));

  const text = markdown({
    rows: rows(),
    nodes,
    outcomes,
    verdicts,
    notes,
    wallMs: performance.now() - started,
    failures,
  });
  process.stdout.write(`\n${await writeResults(text)}`);
  const badHygiene = Object.values(verdicts).some((v) => !v.publint.ok || !v.attw.ok);
  if (failures.length || badHygiene) exitCode = 1;
  log(
    `\n${failures.length} failed cell(s)${badHygiene ? ', package hygiene problems' : ''}; wall time ${((performance.now() - started) / 1000).toFixed(0)} s; written to compat/results.md`,
  );
} catch (error) {
  log(`compat: set-up failed: ${error.stack ?? error}`);
  exitCode = 1;
} finally {
  if (flags.keep) log(`· kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}
process.exit(exitCode);
