import { Trusted, escapeText } from '../trusted.js';

// Small SVG building blocks. Numbers are formatted here; every text goes through escapeText.

export const num = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : 0);

export function rect(x: number, y: number, w: number, h: number, fill: string, title?: string): string {
  const t = title ? `<title>${escapeText(title)}</title>` : '';
  return `<rect x="${num(x)}" y="${num(y)}" width="${num(Math.max(0, w))}" height="${num(h)}" fill="${fill}">${t}</rect>`;
}

export function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attrs ? ' ' + attrs : ''}>${escapeText(s)}</text>`;
}

/** Cut long host-provided labels so they fit. */
export const clipLabel = (s: string, n = 22) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** An <svg> with a title for screen readers. */
export function svg(width: number, height: number, label: string, body: string): Trusted {
  return Trusted.fromBuilder(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" role="img" aria-label="${escapeText(label)}"><title>${escapeText(label)}</title>${body}</svg>`,
  );
}
