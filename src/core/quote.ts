import { encodeLossless, hasRawBytes } from './bytes.js';

// The one place where values become shell words. Every value that reaches a remote
// command goes through `quote` (or `command`, which quotes each part).

/**
 * Quote one value as a single POSIX sh word. Single quotes protect everything except the
 * single quote itself; bytes that were not valid UTF-8 on the host (see core/bytes.ts)
 * are produced by printf so the word is byte-exact; NUL cannot be in an argv and throws.
 */
export function quote(value: string | number): string {
  const s = String(value);
  if (s.includes('\0')) throw new Error(`cannot pass a NUL byte in a shell word: ${JSON.stringify(s)}`);
  if (s === '') return "''";
  if (!hasRawBytes(s) && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  if (!hasRawBytes(s)) return `'${s.replace(/'/g, `'\\''`)}'`;
  // Raw bytes (always >= 0x80, never a newline, so command substitution keeps them):
  // text runs in single quotes, each raw byte as "$(printf '\ooo')", all in one word.
  let out = '';
  for (const run of s.split(/((?:(?<![\ud800-\udbff])[\udc80-\udcff])+)/)) {
    if (run === '') continue;
    if (/^[\udc80-\udcff]+$/.test(run)) {
      let oct = '';
      for (const b of encodeLossless(run)) oct += '\\' + b.toString(8).padStart(3, '0');
      out += `"$(printf '${oct}')"`;
    } else out += `'${run.replace(/'/g, `'\\''`)}'`;
  }
  return out;
}

/** Build a command from parts: each part quoted, joined by spaces. */
export function command(...parts: Array<string | number>): string {
  return parts.map(quote).join(' ');
}

/** A piece of shell syntax the caller wrote itself (an operator, a redirection). */
export class Raw {
  constructor(readonly text: string) {}
}

/** Tagged template: `sh\`rm -f ${path}\`` quotes every interpolated value; Raw passes through. */
export function sh(strings: TemplateStringsArray, ...values: Array<string | number | Raw | Array<string | number>>): string {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    if (v instanceof Raw) out += v.text;
    else if (Array.isArray(v)) out += v.map(quote).join(' ');
    else out += quote(v);
    out += strings[i + 1] ?? '';
  });
  return out;
}
