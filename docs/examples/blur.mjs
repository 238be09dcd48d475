// A CPU-heavy transform on typed arrays: blurs a 1024 × 1024 grey-scale image, cut into tiles, on
// worker threads, on worker processes and in this thread (nJobs: 1), and checks they agree.
// Usage: node docs/examples/blur.mjs

import { pqdm as pqdmProcesses } from '@mtl/processes';
import { fromModule, pqdm as pqdmThreads } from '@mtl/threads';
import { blurTile } from './blur-kernel.mjs';

const SIZE = 1024;
const TILE = 128;
const RADIUS = 6;
const PASSES = 3;
const HALO = RADIUS * PASSES; // what a tile needs from its neighbours to be exact

// A test image: smooth gradients plus a checkerboard, so that the blur has edges to soften.
const image = new Float32Array(SIZE * SIZE);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) image[y * SIZE + x] = (x + y) / (2 * SIZE) + (((x >> 5) + (y >> 5)) % 2);
}

/** The tiles of the image, each with its halo, as the worker's items. */
function* tiles() {
  for (let ty = 0; ty < SIZE; ty += TILE) {
    for (let tx = 0; tx < SIZE; tx += TILE) {
      const [x0, y0] = [Math.max(0, tx - HALO), Math.max(0, ty - HALO)];
      const [x1, y1] = [Math.min(SIZE, tx + TILE + HALO), Math.min(SIZE, ty + TILE + HALO)];
      const [width, height] = [x1 - x0, y1 - y0];
      const pixels = new Float32Array(width * height);
      for (let y = 0; y < height; y++)
        pixels.set(image.subarray((y0 + y) * SIZE + x0, (y0 + y) * SIZE + x1), y * width);
      const inner = { x: tx - x0, y: ty - y0, w: TILE, h: TILE };
      yield { pixels, width, height, inner, radius: RADIUS, passes: PASSES };
    }
  }
}

/** Puts the blurred tiles (in input order) back together. */
function stitch(blurred) {
  const out = new Float32Array(SIZE * SIZE);
  const perRow = SIZE / TILE;
  blurred.forEach((tile, i) => {
    const [tx, ty] = [(i % perRow) * TILE, Math.floor(i / perRow) * TILE];
    for (let y = 0; y < TILE; y++) out.set(tile.subarray(y * TILE, (y + 1) * TILE), (ty + y) * SIZE + tx);
  });
  return out;
}

const blur = fromModule(new URL('./blur-kernel.mjs', import.meta.url), blurTile);
const runs = [
  ['nJobs: 1', () => pqdmThreads(tiles(), blur, { nJobs: 1 })],
  ['threads', () => pqdmThreads(tiles(), blur, { nJobs: 2, desc: 'threads' })],
  ['processes', () => pqdmProcesses(tiles(), blur, { nJobs: 2, desc: 'processes' })],
];
let reference;
for (const [name, run] of runs) {
  const started = performance.now();
  const result = stitch(await run());
  const ms = Math.round(performance.now() - started);
  reference ??= result;
  const same = result.every((v, i) => v === reference[i]);
  console.log(`${name}: ${SIZE * SIZE} pixels in ${ms} ms, ${same ? 'identical to' : 'DIFFERENT from'} nJobs: 1`);
}
