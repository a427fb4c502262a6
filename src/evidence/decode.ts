import { gunzipSync, inflateSync } from 'node:zlib';

// Payloads hidden in persistence lines: base64 (plain or gzip inside), hex (\x41 escapes or
// `xxd -r -p` runs), decoded with bounds (depth, bytes) and kept only when they read as text.

export interface Decoded {
  /** how it was encoded: "base64", "base64+gzip", "hex" … */
  how: string;
  text: string;
}

export const MAX_DEPTH = 3;
export const MAX_BYTES = 64 * 1024;

const B64_RUN = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
const HEX_ESC = /(?:\\x[0-9a-fA-F]{2}){8,}/g;
const HEX_RUN = /\b(?:[0-9a-fA-F]{2}){16,}\b/g;

/** Mostly printable text (tabs, newlines, UTF-8 allowed)? */
function readable(b: Buffer): string | null {
  if (b.length < 8) return null;
  let bad = 0;
  for (const c of b) if (c < 9 || (c > 13 && c < 32) || c === 127) bad++;
  if (bad > b.length * 0.05) return null;
  return b.toString('utf8');
}

function unpack(b: Buffer): { buf: Buffer; gz: boolean } {
  try {
    if (b[0] === 0x1f && b[1] === 0x8b) return { buf: gunzipSync(b, { maxOutputLength: MAX_BYTES }), gz: true };
    if (b[0] === 0x78 && [0x01, 0x5e, 0x9c, 0xda].includes(b[1]!)) return { buf: inflateSync(b, { maxOutputLength: MAX_BYTES }), gz: true };
  } catch {
    /* not compressed after all, or over the bound */
  }
  return { buf: b, gz: false };
}

function candidates(text: string): Array<{ how: string; buf: Buffer }> {
  const out: Array<{ how: string; buf: Buffer }> = [];
  for (const m of text.matchAll(B64_RUN)) {
    const s = m[0];
    // a run of one case or only letters is a word or a path piece, not base64
    if (!/[0-9+/=]/.test(s) && !(/[a-z]/.test(s) && /[A-Z]/.test(s))) continue;
    out.push({ how: 'base64', buf: Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64') });
  }
  for (const m of text.matchAll(HEX_ESC)) out.push({ how: 'hex', buf: Buffer.from(m[0].replace(/\\x/g, ''), 'hex') });
  for (const m of text.matchAll(HEX_RUN)) out.push({ how: 'hex', buf: Buffer.from(m[0], 'hex') });
  return out;
}

/** Every readable payload inside text, depth-first to MAX_DEPTH, at most MAX_BYTES in all. Pure. */
export function decodePayloads(text: string, depth = 0, budget = { left: MAX_BYTES }): Decoded[] {
  if (depth >= MAX_DEPTH || budget.left <= 0 || text.length > MAX_BYTES * 2) return [];
  const out: Decoded[] = [];
  for (const c of candidates(text)) {
    const { buf, gz } = unpack(c.buf);
    const t = readable(buf.subarray(0, budget.left));
    if (t === null) continue;
    budget.left -= t.length;
    const how = gz ? `${c.how}+gzip` : c.how;
    out.push({ how, text: t });
    for (const inner of decodePayloads(t, depth + 1, budget)) out.push({ how: `${how}>${inner.how}`, text: inner.text });
    if (budget.left <= 0) break;
  }
  return out;
}
