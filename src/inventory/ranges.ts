import { InventoryError } from './errors.js';

// Host patterns as inventories write them: `web[01:50].example.com`, `db-[a:f]`,
// `node[01:50:2]`, several ranges in one name, and an optional `:port` (Ansible's
// parse_address + expand_hostname_range).

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Split `host:port` / `[v6]:port`; a name with ranges keeps its `[x:y]`. */
export function splitHostPort(pattern: string): { host: string; port?: number } {
  const v6 = /^\[([0-9A-Fa-f:.]+)\]:(\d+)$/.exec(pattern);
  if (v6 && v6[1]!.split(':').length > 2) return { host: v6[1]!, port: Number(v6[2]) };
  const m = /^(.+):(\d+)$/.exec(pattern);
  if (m && !m[1]!.replace(/\[[^\]]*\]/g, '').includes(':')) return { host: m[1]!, port: Number(m[2]) };
  return { host: pattern };
}

/** Expand every `[begin:end(:step)]` range of a host name, left to right. */
export function expandHostRange(name: string): string[] {
  const open = name.indexOf('[');
  if (open < 0) return [name];
  const close = name.indexOf(']', open);
  if (close < 0) throw rangeError(name, 'a closing "]"');
  const head = name.slice(0, open);
  const body = name.slice(open + 1, close);
  const tail = name.slice(close + 1);
  const bounds = body.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw rangeError(name, 'begin:end or begin:end:step inside [ ]', body);
  const beg = bounds[0] || '0';
  const end = bounds[1]!;
  const stepText = bounds[2] ?? '1';
  if (!end) throw rangeError(name, 'an end value', body);
  if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw rangeError(name, 'a step that is a positive whole number', stepText);
  const step = Number(stepText);

  let seq: string[];
  const ib = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const ie = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) throw rangeError(name, 'begin <= end', body);
    seq = [];
    for (let i = ib; i <= ie; i += step) seq.push(LETTERS[i]!);
  } else {
    if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) throw rangeError(name, 'numbers (01:50) or single letters (a:f)', body);
    const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
    if (width && end.length !== width) throw rangeError(name, 'begin and end of the same width (01:50, not 01:500)', body);
    const b = Number(beg);
    const e = Number(end);
    if (b > e) throw rangeError(name, 'begin <= end', body);
    if ((e - b) / step > 1_000_000) throw rangeError(name, 'at most a million hosts', body);
    seq = [];
    for (let i = b; i <= e; i += step) seq.push(width ? String(i).padStart(width, '0') : String(i));
  }
  return seq.flatMap((s) => expandHostRange(head + s + tail));
}

/** A pattern as written in an inventory: its host names (ranges expanded) and port if any. */
export function expandHostPattern(pattern: string): { hosts: string[]; port?: number } {
  const { host, port } = splitHostPort(pattern);
  const hosts = expandHostRange(host);
  return port === undefined ? { hosts } : { hosts, port };
}

function rangeError(name: string, expected: string, got?: string): InventoryError {
  return new InventoryError(
    `bad host range in ${JSON.stringify(name)}: expected ${expected}${got !== undefined ? `, got ${JSON.stringify(got)}` : ''}. ` +
      'Fix: write ranges as name[01:50], name[a:f] or name[01:50:2].',
  );
}
