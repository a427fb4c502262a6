import { InventoryError } from './errors.js';
import { hostsOfGroup } from './group-hosts.js';
import { parseLimitFile, readLimitFile } from './limit-file.js';
import type { Inventory, InventoryHost } from './types.js';

// Host patterns as Ansible's InventoryManager: `all`, `*`, `web:db` or `web,db` (union),
// `web:&prod` (intersection), `web:!db1` (exclusion), globs, `~regex`, subscripts
// (`web[0]`, `web[1:3]`), group and host names mixed; `--limit` narrows the same way and
// may name `@file`. Unions first, then intersections, then exclusions, as Ansible.
// Unlike Ansible (which warns and goes on), a term that matches nothing is an error:
// a typo in `!db1` must not widen a remediation.

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/s;
const HOSTLIKE = /^(?:[A-Za-z0-9_.-]|\[[A-Za-z0-9]+:[A-Za-z0-9]+(?::[0-9]+)?\])+$/;

/** Split a pattern into terms as Ansible's split_host_pattern. */
export function splitPattern(pattern: string): string[] {
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (isAddress(pattern.trim())) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((p) => p.trim()).filter(Boolean);
}

/**
 * The hosts a pattern (default `all`) selects, narrowed by `limit`, in Ansible's order.
 * `readFile` is used only for `@file` terms of the limit.
 */
export function selectHosts(inv: Inventory, pattern: string | undefined, limit?: string, readFile: (path: string) => string = readLimitFile): InventoryHost[] {
  const p = pattern === undefined || pattern.trim() === '' ? 'all' : pattern;
  let names = evaluate(inv, splitPattern(p), p);
  if (limit !== undefined && limit.trim() !== '') {
    const terms: string[] = [];
    for (const t of splitPattern(limit)) {
      if (t.startsWith('@')) append(terms, parseLimitFile(readFile(t.slice(1))));
      else terms.push(t);
    }
    const subset = new Set(evaluate(inv, terms, `--limit ${limit}`));
    names = names.filter((n) => subset.has(n));
  }
  return [...new Set(names)].map((n) => inv.hosts.get(n)!);
}

/** push every item (a spread `push(...items)` overflows the call stack past ~120,000 items) */
function append<T>(to: T[], items: readonly T[]): void {
  for (const x of items) to.push(x);
}

function evaluate(inv: Inventory, terms: string[], context: string): string[] {
  const regular = terms.filter((t) => !t.startsWith('!') && !t.startsWith('&'));
  const and = terms.filter((t) => t.startsWith('&'));
  const not = terms.filter((t) => t.startsWith('!'));
  let hosts: string[] = [];
  for (const term of [...(regular.length ? regular : ['all']), ...and, ...not]) {
    if (inv.hosts.has(term)) {
      hosts.push(term);
      continue;
    }
    const that = matchOne(inv, term.startsWith('!') || term.startsWith('&') ? term.slice(1) : term, context);
    if (term.startsWith('!')) {
      const s = new Set(that);
      hosts = hosts.filter((h) => !s.has(h));
    } else if (term.startsWith('&')) {
      const s = new Set(that);
      hosts = hosts.filter((h) => s.has(h));
    } else {
      const existing = new Set(hosts);
      append(hosts, that.filter((h) => !existing.has(h)));
    }
  }
  return hosts;
}

function matchOne(inv: Inventory, term: string, context: string): string[] {
  let expr = term;
  let subscript: [number, number | undefined] | undefined;
  const m = term.startsWith('~') ? null : SUBSCRIPT.exec(term);
  if (m) {
    expr = m[1]!;
    subscript = m[2] !== undefined ? [Number(m[2]), undefined] : [Number(m[3]), m[5] ? Number(m[5]) : -1];
  }
  const hosts = enumerate(inv, expr, term, context);
  if (!subscript) return hosts;
  const [start, end] = subscript;
  if (end) return hosts.slice(start, (end === -1 ? hosts.length - 1 : end) + 1);
  const one = hosts[start < 0 ? hosts.length + start : start];
  if (one === undefined) throw new InventoryError(`no host at index ${start} of ${expr} (it has ${hosts.length}) in the pattern ${JSON.stringify(context)}. Fix: use an index from 0 to ${hosts.length - 1}.`);
  return [one];
}

function enumerate(inv: Inventory, expr: string, term: string, context: string): string[] {
  const re = compile(expr, context);
  const results: string[] = [];
  const groups = [...inv.groups.keys()].filter((g) => re.test(g));
  for (const g of groups) append(results, hostsOfGroup(inv.groups, g));
  if (groups.length === 0 || expr.startsWith('~') || /[.?*[]/.test(expr)) {
    for (const h of inv.hosts.keys()) if (re.test(h)) results.push(h);
  }
  if (results.length === 0 && groups.length === 0 && expr !== 'all') {
    const known = [...inv.groups.keys()].filter((g) => g !== 'all' && g !== 'ungrouped');
    throw new InventoryError(
      `the pattern term ${JSON.stringify(term)} (in ${JSON.stringify(context)}) matches no group and no host. ` +
        `Groups are: ${known.slice(0, 20).join(', ') || '(none)'}${known.length > 20 ? ', …' : ''}. Fix: correct the name, or use a glob (web*) or ~regex.`,
    );
  }
  return results;
}

function compile(expr: string, context: string): RegExp {
  try {
    return expr.startsWith('~') ? new RegExp('^(?:' + expr.slice(1) + ')') : globToRegExp(expr);
  } catch (e) {
    throw new InventoryError(`invalid host pattern ${JSON.stringify(expr)} in ${JSON.stringify(context)}: ${(e as Error).message}. Fix: check the regular expression after ~.`);
  }
}

/** Python's fnmatch.translate: * ? [seq] [!seq], whole name, case-sensitive. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) out += '\\[';
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = '^' + body.slice(1);
        else if (body.startsWith('^')) body = '\\' + body;
        out += `[${body}]`;
        i = j;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^(?:${out})$`, 's');
}

function isAddress(p: string): boolean {
  if (/^\[?[0-9A-Fa-f:.]+\]?(?::\d+)?$/.test(p) && (p.match(/:/g) ?? []).length >= 2) return true; // IPv6
  const m = /^(.+):(\d+)$/.exec(p);
  return m !== null && HOSTLIKE.test(m[1]!) && !m[1]!.replace(/\[[^\]]*\]/g, '').includes(':');
}
