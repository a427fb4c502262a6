import { decodeLossless } from '../core/bytes.js';
import type { HostResult } from '../core/result.js';
import { escapeForTerminal } from '../core/terminal.js';

// How fleet commands show one host on a terminal: a status line, then its output indented,
// every remote byte escaped (remote text is hostile).

/** Remote bytes -> printable text, newlines kept. */
export function remoteText(buf: Buffer): string {
  return escapeForTerminal(decodeLossless(buf), { keepNewlines: true });
}

/** `name | status | details` with the reason for hosts that did not end ok. */
export function statusLine(r: HostResult, details = ''): string {
  const parts = [r.host, r.status.toUpperCase(), ...(details ? [details] : []), `${r.durationMs}ms`];
  let line = parts.join(' | ');
  if (r.reason && r.status !== 'ok' && r.status !== 'changed') line += `\n  ${escapeForTerminal(r.reason)}`;
  return line;
}

/** Indent a block of (already escaped) text under a host line. */
export function indent(text: string, prefix = '  '): string {
  return text.replace(/\n$/, '').split('\n').map((l) => prefix + l).join('\n');
}

/** One-line summary: ok=3 changed=0 failed=1 unreachable=1 skipped=0 */
export function summary(results: HostResult[]): string {
  const n = (s: string): number => results.filter((r) => r.status === s).length;
  return `ok=${n('ok')} changed=${n('changed')} failed=${n('failed')} unreachable=${n('unreachable')} skipped=${n('skipped')}`;
}
