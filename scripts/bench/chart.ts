/**
 * The results as one self-contained SVG (no fonts or scripts to load): left, the hot-path latencies —
 * p50 with no added delay, then p50/p95/p99 with D ms per upstream call; right, search and context p50
 * against the namespace size on a log axis.
 */
import type { BenchReport } from './report';

const W = 960;
const H = 380;
const TOP = 56;
const BOTTOM = 310;
const COLORS = { base: '#9ecae1', p50: '#3182bd', p95: '#fd8d3c', p99: '#e6550d', search: '#3182bd', context: '#31a354' };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`;

/** A "nice" axis top and step (1, 2 or 5 × 10^k) for values up to `max`. */
function niceAxis(max: number): { top: number; step: number } {
  const raw = Math.max(max, 1e-6) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  return { top: Math.ceil(max / step) * step, step };
}

function yAxis(x0: number, x1: number, top: number, step: number): string[] {
  const out: string[] = [];
  for (let v = 0; v <= top + step / 2; v += step) {
    const y = BOTTOM - (v / top) * (BOTTOM - TOP);
    out.push(`<line x1="${x0}" x2="${x1}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(text(x0 - 6, y + 4, `${Number(v.toFixed(3))}`, 'text-anchor="end"'));
  }
  return out;
}

function latencyPanel(r: BenchReport, x0: number, x1: number): string[] {
  const routes = ['ingest', 'context', 'search'] as const;
  const series = routes.map((route) => [
    { key: 'base', label: 'p50, no delay', v: r.run.latency_without_delay[route].p50_ms },
    { key: 'p50', label: `p50, D = ${r.run.delay_ms} ms`, v: r[route].p50_ms },
    { key: 'p95', label: 'p95', v: r[route].p95_ms },
    { key: 'p99', label: 'p99', v: r[route].p99_ms },
  ]);
  const { top, step } = niceAxis(Math.max(...series.flat().map((s) => s.v)));
  const out = [text((x0 + x1) / 2, 26, 'Hot-path latency at the Worker (ms, sequential requests)', 'text-anchor="middle" font-weight="bold"'), ...yAxis(x0, x1, top, step)];
  const groupW = (x1 - x0) / routes.length;
  const barW = (groupW * 0.7) / 4;
  routes.forEach((route, g) => {
    const gx = x0 + g * groupW + groupW * 0.15;
    series[g]!.forEach((s, i) => {
      const h = (s.v / top) * (BOTTOM - TOP);
      const x = gx + i * barW;
      out.push(`<rect x="${x.toFixed(1)}" y="${(BOTTOM - h).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[s.key as keyof typeof COLORS]}"><title>${esc(`${route} ${s.label}: ${s.v} ms`)}</title></rect>`);
      out.push(text(x + barW / 2 - 1, BOTTOM - h - 4, s.v < 10 ? s.v.toFixed(1) : s.v.toFixed(0), 'text-anchor="middle" font-size="10"'));
    });
    const waves = r[route].waves;
    out.push(text(gx + barW * 2, BOTTOM + 18, route, 'text-anchor="middle" font-weight="bold"'));
    out.push(text(gx + barW * 2, BOTTOM + 34, `round trips: ${waves}`, 'text-anchor="middle" font-size="11"'));
  });
  const legend = series[0]!;
  legend.forEach((s, i) => {
    const lx = x0 + i * 112;
    out.push(`<rect x="${lx}" y="${H - 26}" width="12" height="12" fill="${COLORS[s.key as keyof typeof COLORS]}"/>`, text(lx + 16, H - 16, s.label, 'font-size="11"'));
  });
  return out;
}

function scalePanel(r: BenchReport, x0: number, x1: number): string[] {
  const points = r.scale;
  const { top, step } = niceAxis(Math.max(...points.flatMap((p) => [p.search_p50_ms, p.context_p50_ms])));
  const out = [text((x0 + x1) / 2, 26, 'Search and context p50 by namespace size (ms)', 'text-anchor="middle" font-weight="bold"'), ...yAxis(x0, x1, top, step)];
  const logs = points.map((p) => Math.log10(p.memories));
  const lo = Math.min(...logs) - 0.3;
  const hi = Math.max(...logs) + 0.3;
  const px = (m: number) => x0 + ((Math.log10(m) - lo) / (hi - lo)) * (x1 - x0);
  const py = (v: number) => BOTTOM - (v / top) * (BOTTOM - TOP);
  for (const p of points) out.push(text(px(p.memories), BOTTOM + 18, p.memories >= 1000 ? `${p.memories / 1000}k` : String(p.memories), 'text-anchor="middle"'));
  for (const key of ['search', 'context'] as const) {
    const field = key === 'search' ? 'search_p50_ms' : 'context_p50_ms';
    const coords = points.map((p) => `${px(p.memories).toFixed(1)},${py(p[field]).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${coords}" fill="none" stroke="${COLORS[key]}" stroke-width="2.5"/>`);
    for (const p of points) {
      out.push(`<circle cx="${px(p.memories).toFixed(1)}" cy="${py(p[field]).toFixed(1)}" r="4" fill="${COLORS[key]}"><title>${esc(`${key} p50 at ${p.memories}: ${p[field]} ms`)}</title></circle>`);
    }
  }
  out.push(`<rect x="${x0}" y="${H - 26}" width="12" height="12" fill="${COLORS.search}"/>`, text(x0 + 16, H - 16, 'search p50', 'font-size="11"'));
  out.push(`<rect x="${x0 + 100}" y="${H - 26}" width="12" height="12" fill="${COLORS.context}"/>`, text(x0 + 116, H - 16, 'context p50', 'font-size="11"'));
  return out;
}

export function renderChart(r: BenchReport): string {
  const body = [
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    ...latencyPanel(r, 60, 540),
    ...scalePanel(r, 640, 930),
    text(W - 8, H - 4, `${r.run.mode} run, ${r.run.finished_at.slice(0, 10)}`, 'text-anchor="end" font-size="10" fill="#777"'),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12" fill="#222">\n${body.join('\n')}\n</svg>\n`;
}
