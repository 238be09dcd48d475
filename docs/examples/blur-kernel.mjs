// The worker module of blur.mjs: a box blur, run `passes` times (which approaches a Gaussian blur),
// over one tile of a grey-scale image stored as a Float32Array.

/** One horizontal then one vertical box-blur pass of `radius` over a w × h image; edges are clamped. */
function boxPass(src, w, h, radius) {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  const scale = 1 / (2 * radius + 1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += src[y * w + Math.min(w - 1, Math.max(0, x + k))];
      tmp[y * w + x] = sum * scale;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x];
      out[y * w + x] = sum * scale;
    }
  }
  return out;
}

/**
 * Blurs a tile given with a halo around it (`pixels` is the tile and its halo, `width` × `height`),
 * and returns the tile alone (`inner`: its offset and size inside `pixels`).
 */
export function blurTile({ pixels, width, height, inner, radius, passes }) {
  let image = pixels;
  for (let p = 0; p < passes; p++) image = boxPass(image, width, height, radius);
  const out = new Float32Array(inner.w * inner.h);
  for (let y = 0; y < inner.h; y++) {
    out.set(image.subarray((inner.y + y) * width + inner.x, (inner.y + y) * width + inner.x + inner.w), y * inner.w);
  }
  return out;
}
