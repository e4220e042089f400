/** A small SVG line chart (no library, no external assets): series of (x, y) points. */
export function lineChart(opts: { title: string; xLabel: string; yLabel: string; series: { name: string; color: string; points: [number, number][] }[] }): string {
  const W = 640,
    H = 360,
    L = 64,
    R = 150,
    T = 40,
    B = 50;
  const xs = opts.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = opts.series.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(...xs),
    yMax = Math.max(...ys) * 1.1 || 1;
  const x = (v: number) => L + (v / xMax) * (W - L - R);
  const y = (v: number) => H - B - (v / yMax) * (H - T - B);
  const ticks = (max: number) => Array.from({ length: 5 }, (_, i) => (max * (i + 1)) / 5);
  const esc = (s: string) => s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(opts.title)}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`,
    ...ticks(yMax).map((v) => `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(v < 10 ? 1 : 0)}</text>`),
    ...[...new Set(xs)].map((v) => `<text x="${x(v)}" y="${H - B + 16}" text-anchor="middle">${v}</text>`),
    `<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">${esc(opts.xLabel)}</text>`,
    `<text x="16" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(T + H - B) / 2})">${esc(opts.yLabel)}</text>`,
    ...opts.series.map((s, i) =>
      [
        `<polyline fill="none" stroke="${s.color}" stroke-width="2.5" points="${s.points.map((p) => `${x(p[0])},${y(p[1])}`).join(' ')}"/>`,
        ...s.points.map((p) => `<circle cx="${x(p[0])}" cy="${y(p[1])}" r="3.5" fill="${s.color}"/>`),
        `<rect x="${W - R + 14}" y="${T + i * 20}" width="12" height="12" fill="${s.color}"/><text x="${W - R + 32}" y="${T + i * 20 + 10}">${esc(s.name)}</text>`,
      ].join(''),
    ),
    '</svg>',
  ].join('\n');
}
