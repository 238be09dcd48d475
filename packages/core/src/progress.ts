import { type Options as BarOptions, Presets, SingleBar } from 'cli-progress';

/** What the scheduler tells a progress display: one call per result handed to the consumer. */
export interface Progress {
  tick(done: number, failed: number): void;
  stop(): void;
}

/**
 * The map's progress bar (cli-progress, on stderr): on by default when stderr is a terminal.
 * Counts results handed to the consumer, so it is true for streaming use as well as for `await`.
 */
export function createProgress(
  setting: boolean | BarOptions | undefined,
  desc: string | undefined,
  total: number | undefined,
): Progress | undefined {
  const enabled = setting === undefined ? process.stderr.isTTY === true : setting !== false;
  if (!enabled) return undefined;
  const label = desc ? `${desc} ` : '';
  const format =
    total === undefined
      ? `${label}{value} done | {rate}/s | {duration_formatted}{failed}`
      : `${label}{bar} {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}{failed}`;
  const bar = new SingleBar(
    {
      format,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      etaBuffer: 50,
      fps: 10,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5000,
      ...(typeof setting === 'object' ? setting : {}),
    },
    Presets.shades_classic,
  );
  const started = performance.now();
  const payload = (done: number, failed: number) => ({
    rate: Math.round(done / Math.max((performance.now() - started) / 1000, 1e-3)),
    failed: failed ? ` | ${failed} failed` : '',
  });
  bar.start(total ?? 0, 0, payload(0, 0));
  // The bar redraws at `fps`; feeding it every item would put its cost on the hot path.
  let lastUpdate = 0;
  let latest = [0, 0];
  return {
    tick(done, failed) {
      latest = [done, failed];
      if ((done & 63) !== 0 && failed === 0) return;
      const now = performance.now();
      if (now - lastUpdate < 50) return;
      lastUpdate = now;
      bar.update(done, payload(done, failed));
    },
    stop() {
      bar.update(latest[0], payload(latest[0], latest[1]));
      bar.stop();
    },
  };
}
