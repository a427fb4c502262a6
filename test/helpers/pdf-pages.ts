import { inflateSync } from 'node:zlib';

// Where the text of each page of a PDF ends, read from the file itself (no PDF tool needed):
// the page tree in order, each page's content streams inflated, and the graphics state (q/Q/cm)
// and text matrix (Tm/Td/TD/T*) followed to the baseline of every text show (Tj/TJ/'/").
// Enough for the PDFs Chromium writes (Flate-compressed, uncompressed object dictionaries).

/** One page: its height and the text baselines on it, in points from the top, sorted. */
export interface PdfPage {
  height: number;
  baselines: number[];
}

type Matrix = [number, number, number, number, number, number];
const mul = (m: Matrix, n: Matrix): Matrix => [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3], m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function objects(pdf: Buffer): Map<number, { dict: string; stream?: Buffer }> {
  const text = pdf.toString('latin1');
  const out = new Map<number, { dict: string; stream?: Buffer }>();
  const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let m; (m = re.exec(text)); ) {
    const body = m[2]!;
    const s = /stream\r?\n/.exec(body);
    if (!s) {
      out.set(Number(m[1]), { dict: body });
      continue;
    }
    const dict = body.slice(0, s.index);
    const len = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? -1);
    const start = m.index + m[0].indexOf(body) + s.index + s[0].length;
    const raw = pdf.subarray(start, len >= 0 ? start + len : start + body.indexOf('endstream') - s.index - s[0].length);
    out.set(Number(m[1]), { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
  }
  return out;
}

const refs = (s: string | undefined) => [...(s ?? '').matchAll(/(\d+) 0 R/g)].map((r) => Number(r[1]));

function baselines(content: string, height: number): number[] {
  const tokens = content.match(/<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|[[\]]|\/[^\s/[\]()<>]+|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'"*]+/g) ?? [];
  const stack: Matrix[] = [];
  let ctm = IDENTITY;
  let tm = IDENTITY;
  let tlm = IDENTITY;
  let leading = 0;
  const nums: number[] = [];
  const ys = new Set<number>();
  const show = () => ys.add(Math.round((height - mul(tm, ctm)[5]) * 10) / 10);
  const lineTo = (tx: number, ty: number) => (tm = tlm = mul([1, 0, 0, 1, tx, ty], tlm));
  for (const t of tokens) {
    if (/^[-+.\d]/.test(t)) {
      nums.push(Number(t));
      continue;
    }
    const n = nums.splice(0);
    if (t === 'q') stack.push(ctm);
    else if (t === 'Q') ctm = stack.pop() ?? IDENTITY;
    else if (t === 'cm' && n.length === 6) ctm = mul(n as Matrix, ctm);
    else if (t === 'BT') tm = tlm = IDENTITY;
    else if (t === 'Tm' && n.length === 6) tm = tlm = n as Matrix;
    else if (t === 'Td' && n.length === 2) lineTo(n[0]!, n[1]!);
    else if (t === 'TD' && n.length === 2) (leading = -n[1]!), lineTo(n[0]!, n[1]!);
    else if (t === 'TL' && n.length === 1) leading = n[0]!;
    else if (t === 'T*') lineTo(0, -leading);
    else if (t === 'Tj' || t === 'TJ') show();
    else if (t === "'" || t === '"') lineTo(0, -leading), show();
  }
  return [...ys].sort((a, b) => a - b);
}

/** The pages of `pdf` in order, each with the baselines of its text. */
export function pdfPages(pdf: Buffer): PdfPage[] {
  const objs = objects(pdf);
  const root = [...objs].find(([, o]) => /\/Type\s*\/Pages\b/.test(o.dict) && !/\/Parent\b/.test(o.dict));
  if (!root) throw new Error('pdf: no page tree');
  const pages: PdfPage[] = [];
  const visit = (id: number) => {
    const o = objs.get(id);
    if (!o) return;
    if (/\/Type\s*\/Pages\b/.test(o.dict)) return refs(/\/Kids\s*\[([^\]]*)\]/.exec(o.dict)?.[1]).forEach(visit);
    const box = (/\/MediaBox\s*\[([^\]]*)\]/.exec(o.dict)?.[1] ?? '0 0 595 842').trim().split(/\s+/).map(Number);
    const height = box[3]! - box[1]!;
    const contents = /\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(o.dict)?.[1];
    const text = refs(contents).map((r) => objs.get(r)?.stream?.toString('latin1') ?? '').join('\n');
    pages.push({ height, baselines: baselines(text, height) });
  };
  visit(root[0]);
  return pages;
}

/**
 * How full each page is: the last text baseline inside the page's content box (between the top
 * and bottom margins, in points, so running footers do not count), as a share of the box's height.
 */
export function pageFill(pages: readonly PdfPage[], margins: { top: number; bottom: number }): number[] {
  return pages.map((p) => {
    const box = p.height - margins.top - margins.bottom;
    const inside = p.baselines.filter((y) => y >= margins.top && y <= p.height - margins.bottom);
    return inside.length ? (inside[inside.length - 1]! - margins.top) / box : 0;
  });
}
