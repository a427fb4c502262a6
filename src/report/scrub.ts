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

// every SECRET_IN_TEXT pattern needs one of these words: text without them is left as it is
const MAY_HOLD_SECRET = /requirepass|masterauth|redis-cli|auth|pass|secret|token/i;

/** Is this object key one whose value must never be rendered? */
export function isSecretKey(key: string): boolean {
  return isSecretName(key);
}

/** Mask secret-looking values inside a string, and every exact secret given. */
export function scrubText(s: string, exact: readonly string[] = []): string {
  let out = masked(s, exact.filter((secret) => secret.length >= 4));
  if (!MAY_HOLD_SECRET.test(out)) return out;
  for (const re of SECRET_IN_TEXT) out = out.replace(re, (_m, lead: string, value: string) => (value === MASK ? lead + value : lead + MASK));
  return out;
}

/**
 * `value` with secret fields removed and secret-looking text masked. Copy on write: a part with
 * nothing to mask is returned as it is (shared, not copied), so a 1,000-host run record is not
 * held twice while its report renders. Treat the result as read-only.
 */
export function scrubDeep<T>(value: T, exact: readonly string[] = []): T {
  return walk(value, exact.filter((secret) => secret.length >= 4)) as T;
}

const DROP = Symbol('drop');

function walk(v: unknown, exact: readonly string[]): unknown {
  if (typeof v === 'string') return scrubText(v, exact);
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = walk(v[i], exact);
      if (x !== v[i]) (out ??= v.slice(0, i))[i] = x;
      else if (out) out[i] = x;
    }
    return out ?? v;
  }
  if (v && typeof v === 'object') {
    let out: Record<string, unknown> | undefined;
    const entries = Object.entries(v);
    for (let i = 0; i < entries.length; i++) {
      const [k, x] = entries[i]!;
      const y = isSecretKey(k) ? DROP : walk(x, exact);
      if (!out && y !== x) out = Object.fromEntries(entries.slice(0, i));
      if (out && y !== DROP) out[k] = y;
    }
    return out ?? v;
  }
  return v;
}
