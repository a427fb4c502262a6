import { InventoryError } from './errors.js';
import type { InventoryData } from './inventory-data.js';
import { pythonLiteral } from './python-literal.js';
import { expandHostPattern } from './ranges.js';
import { shellSplit } from './ssh-args.js';

// Ansible's INI inventory: [group] host lines with inline k=v vars, [group:children],
// [group:vars]; hosts before any section are ungrouped; `#` and `;` start comments.
// A child group or a :vars section must name a group declared somewhere in the file.

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  line: number;
  state: 'vars' | 'children';
  parents: string[];
}

/** Parse an INI inventory into `data`. */
export function parseIniInventory(text: string, file: string, data: InventoryData): void {
  let group = 'ungrouped';
  let state = 'hosts';
  const pending = new Map<string, Pending>();
  const lines = text.split(/\r?\n/);
  const at = (line: number, column = 1) => ({ file, line, column });

  const addPendingChildren = (g: string): void => {
    for (const parent of pending.get(g)!.parents) {
      data.addChild(parent, g, at(pending.get(g)!.line));
      if (pending.get(parent)?.state === 'children') addPendingChildren(parent);
    }
    pending.delete(g);
  };

  lines.forEach((raw, idx) => {
    const n = idx + 1;
    const line = raw.trim();
    const col = raw.indexOf(line) + 1;
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const m = SECTION.exec(line);
    if (m) {
      group = m[1]!;
      state = m[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) {
        throw new InventoryError(`section [${group}:${state}] has an unknown type ${JSON.stringify(state)}: expected [${group}], [${group}:children] or [${group}:vars]. Fix: use one of these.`, at(n, col));
      }
      if (!data.groups.has(group)) {
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: n, state: 'vars', parents: [] });
        data.addGroup(group);
      }
      const p = pending.get(group);
      if (p && state !== 'vars') {
        if (p.state === 'children') addPendingChildren(group);
        else pending.delete(group);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw new InventoryError(`invalid section header ${line}: expected [group], [group:children] or [group:vars] with no spaces. Fix: remove spaces and other characters from the name.`, at(n, col));
    }
    if (state === 'hosts') hostLine(line, group, data, at(n, col));
    else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) throw new InventoryError(`expected key=value in [${group}:vars], got ${JSON.stringify(line)}. Fix: write name=value.`, at(n, col));
      data.setGroupVar(group, line.slice(0, eq).trim(), pythonLiteral(line.slice(eq + 1).trim()));
    } else {
      const g = GROUP_NAME.exec(line);
      if (!g) throw new InventoryError(`expected a group name in [${group}:children], got ${JSON.stringify(line)}. Fix: one group name per line, no spaces or colons.`, at(n, col));
      const child = g[1]!;
      if (data.groups.has(child)) data.addChild(group, child, at(n, col));
      else {
        const p = pending.get(child);
        if (p) p.parents.push(group);
        else pending.set(child, { line: n, state: 'children', parents: [group] });
      }
    }
  });

  for (const [name, p] of pending) {
    if (p.state === 'vars') {
      throw new InventoryError(`section [${name}:vars] is for a group that is not declared anywhere. Fix: add a [${name}] or [${name}:children] section, or correct the name.`, at(p.line));
    }
    throw new InventoryError(
      `section [${p.parents[p.parents.length - 1]}:children] names the group ${name}, which is not declared anywhere. Fix: add a [${name}] section with its hosts, or correct the name.`,
      at(p.line),
    );
  }
}

function hostLine(line: string, group: string, data: InventoryData, where: { file: string; line: number; column: number }): void {
  let tokens: string[];
  try {
    tokens = shellSplit(line, true);
  } catch (e) {
    throw new InventoryError(`cannot split the host line: ${(e as Error).message}. Fix: close the quote.`, where);
  }
  if (tokens.length === 0) return;
  let expanded: { hosts: string[]; port?: number };
  try {
    expanded = expandHostPattern(tokens[0]!);
  } catch (e) {
    throw e instanceof InventoryError ? new InventoryError(e.detail, where) : e;
  }
  const vars: [string, unknown][] = [];
  for (const t of tokens.slice(1)) {
    const eq = t.indexOf('=');
    if (eq < 0) {
      const column = where.column + Math.max(0, line.indexOf(t));
      throw new InventoryError(
        `expected key=value after the host name, got ${JSON.stringify(t)}. Fix: write ${t}=VALUE, or quote a value that contains spaces (key="a b").`,
        { ...where, column },
      );
    }
    vars.push([t.slice(0, eq), pythonLiteral(t.slice(eq + 1))]);
  }
  for (const h of expanded.hosts) {
    data.addHost(h, group, expanded.port);
    for (const [k, v] of vars) data.setHostVar(h, k, v);
  }
}
