// Secrets never reach the report. Run records are masked upstream; this is the second line:
// drop every field whose name says "secret", mask secret-looking values inside strings
// (`requirepass X`, `redis-cli -a X`, `AUTH X`, `password=X`) and any exact value given.

import { isSecretName, MASK, masked } from '../core/mask.js';

export { MASK };

const SECRET_IN_TEXT: RegExp[] = [
  /(\b(?:requirepass|masterauth)\s+)("[^"\n]*"|'[^'\n]*'|\S+)/gi,
  /(\bredis-cli\b[^\n]*?\s-a\s+)("[^"\n]*"|'[^'\n]*'|\S+)/gi,
  /(\bAUTH\s+)("[^"\n]*"|'[^'\n]*'|\S+)/g,
  /(\b(?:password|passwd|pass|secret|token)\s*=\s*)("[^"\n]*"|'[^'\n]*'|[^\s,;&]+)/gi,
  /(["'](?:password|passwd|pass|secret|token|requirepass)["']\s*:\s*)("[^"\n]*"|'[^'\n]*')/gi,
  /(\bREDISCLI_AUTH=)("[^"\n]*"|'[^'\n]*'|\S+)/g,
];

/** Is this object key one whose value must never be rendered? */
export function isSecretKey(key: string): boolean {
  return isSecretName(key);
}

/** Mask secret-looking values inside a string, and every exact secret given. */
export function scrubText(s: string, exact: readonly string[] = []): string {
  let out = masked(s, exact.filter((secret) => secret.length >= 4));
  for (const re of SECRET_IN_TEXT) out = out.replace(re, (_m, lead: string, value: string) => (value === MASK ? lead + value : lead + MASK));
  return out;
}

/** A deep copy of `value` with secret fields removed and secret-looking text masked. */
export function scrubDeep<T>(value: T, exact: readonly string[] = []): T {
  return walk(value, exact) as T;
}

function walk(v: unknown, exact: readonly string[]): unknown {
  if (typeof v === 'string') return scrubText(v, exact);
  if (Array.isArray(v)) return v.map((x) => walk(x, exact));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!isSecretKey(k)) out[k] = walk(x, exact);
    return out;
  }
  return v;
}
