// A small horizontal bar chart as SVG text: one bar per row at its median, a whisker from min to max.
// No dependencies; `log: true` for values that span decades (items/s from pools to batched messages).

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * @param {{ title: string, unit: string, log?: boolean, rows: { label: string, median: number, min: number,
 *   max: number, text: string, mtl?: boolean }[] }} chart
 */
export function barChart({ title, unit, log = false, rows }) {
  const labelW = 300;
  const plotW = 460;
  const textW = 110;
  const rowH = 22;
  const top = 46;
  const height = top + rows.length * rowH + 36;
  const width = labelW + plotW + textW;
  const hi = Math.max(...rows.map((r) => r.max));
  const lo = log ? 10 ** Math.floor(Math.log10(Math.min(...rows.map((r) => r.min)))) : 0;
  const top10 = log ? 10 ** Math.ceil(Math.log10(hi)) : hi * 1.05;
  const x = (v) => labelW + (log ? Math.log10(v / lo) / Math.log10(top10 / lo) : v / top10) * plotW;
  const ticks = log
    ? Array.from({ length: Math.round(Math.log10(top10 / lo)) + 1 }, (_, i) => lo * 10 ** i)
    : Array.from({ length: 5 }, (_, i) => (top10 * i) / 4);
  const fmt = (v) => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : `${+v.toPrecision(3)}`);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const t of ticks) {
    out.push(
      `<line x1="${x(t)}" y1="${top - 6}" x2="${x(t)}" y2="${height - 30}" stroke="#ddd"/>`,
      `<text x="${x(t)}" y="${height - 16}" text-anchor="middle" fill="#555">${fmt(t)}</text>`,
    );
  }
  out.push(
    `<text x="${labelW + plotW / 2}" y="${height - 2}" text-anchor="middle" fill="#555">${esc(unit)}${log ? ' (log scale)' : ''}; bar: median, whisker: min–max</text>`,
  );
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const fill = r.mtl ? '#2b6cb0' : '#a0aec0';
    out.push(
      `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${esc(r.label)}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${Math.max(1, x(r.median) - labelW)}" height="${rowH - 6}" fill="${fill}"/>`,
      `<line x1="${x(r.min)}" y1="${y + 11}" x2="${x(r.max)}" y2="${y + 11}" stroke="#222"/>`,
      `<text x="${labelW + plotW + 6}" y="${y + 14}">${esc(r.text)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
