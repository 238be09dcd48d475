// Case 8: what the progress display costs: a map of x => x*x over 2,000,000 items on a warm Pool of 2
// threads, with the bar off, on (drawn on a pseudo-terminal) and on with an `onProgress` callback.
import { rate, table } from '../lib/harness.mjs';
import { cell, figures, median, perRound } from '../lib/report.mjs';

// `off` runs twice: the difference between two identical variants is the noise floor the others are read against.
const VARIANTS = [
  { id: 'off', label: '`disable: true`' },
  { id: 'off again', progress: 'off', label: '`disable: true` again (the noise floor)' },
  { id: 'bar', label: '`progress: true`: the bar, drawn on the terminal' },
  { id: 'bar+onProgress', label: 'the bar and an `onProgress` callback' },
];
const sizeOf = (quick) => (quick ? 200_000 : 2_000_000);

function plan({ quick, jobsList }) {
  const cases = VARIANTS.map((v) => ({
    id: v.id,
    file: 'cases/progress.mjs',
    args: ['--progress', v.progress ?? v.id, '--n', sizeOf(quick), '--jobs', jobsList[0]],
  }));
  return { runs: 31, cases };
}

function report(samples, { quick, jobsList }) {
  const percent = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
  const rates = (id) => figures(samples, id, 'rate');
  /** The change against `off`, round by round (the variant and `off` from the same round). */
  const changes = (id) => perRound(rates(id), rates('off'), (x, off) => (x / off - 1) * 100);
  const rows = VARIANTS.map((v) => [
    v.label,
    cell(rates(v.id), rate),
    v.id === 'off' ? '—' : cell(changes(v.id), percent),
  ]);
  const change = (id) => percent(median(changes(id)));
  const n = sizeOf(quick).toLocaleString('en-US');
  const headline = [
    [
      `progress display, ${n} × x*x: change against off`,
      `bar ${change('bar')}, bar and onProgress ${change('bar+onProgress')} (off again ${change('off again')})`,
      '—',
      '—',
      '—',
    ],
  ];
  const body = `\`await pool.map(xs, options)\` of \`x => x*x\` over ${n} items on a Pool of ${jobsList[0]} threads, after a warm-up
map of 1,000 items on the same Pool. Every sample runs on a pseudo-terminal (util-linux \`script\`), so the bar
really draws. Trivial items are where a per-item cost would show most.

- "against off" is computed round by round (the variant and \`off\` from the same round), then summarised.
- Median change against off: off again ${change('off again')}, bar ${change('bar')}, bar and onProgress ${change('bar+onProgress')}.

${table(['progress', 'items/s', 'against off'], rows)}`;
  return { body, summary: { headline, targets: [] } };
}

export default { file: '8-progress', title: 'Progress on and off: what the bar costs', plan, report };
