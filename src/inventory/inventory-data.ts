import { InventoryError, type InventoryErrorWhere } from './errors.js';
import type { Vars } from './types.js';

// What the parsers build, as Ansible's InventoryData: groups and hosts in the order they
// were first seen, direct memberships, and the variables set in inventory files. Several
// sources add to the same data (that is how several -i are merged); reconcile() then puts
// parentless groups under `all` and lone hosts in `ungrouped`.

export interface GroupData {
  name: string;
  /** direct hosts, in order */
  hosts: string[];
  /** direct child groups, in order */
  children: string[];
  parents: string[];
  vars: Vars;
  /** ansible_group_priority (default 1) */
  priority: number;
}

export interface HostData {
  name: string;
  /** groups the host was added to directly, in order */
  groups: string[];
  vars: Vars;
}

export class InventoryData {
  readonly groups = new Map<string, GroupData>();
  readonly hosts = new Map<string, HostData>();
  readonly sources: string[] = [];
  /** group -> its direct hosts / child groups, for membership checks in constant time */
  private readonly members = new Map<string, Set<string>>();
  private readonly childSets = new Map<string, Set<string>>();

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  addGroup(name: string): GroupData {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, hosts: [], children: [], parents: [], vars: {}, priority: 1 };
      this.groups.set(name, g);
    }
    return g;
  }

  /** add a host, to `group` if given (Ansible: the port becomes ansible_port) */
  addHost(name: string, group?: string, port?: number): HostData {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, groups: [], vars: {} };
      this.hosts.set(name, h);
    }
    if (group !== undefined) {
      const g = this.addGroup(group);
      let members = this.members.get(group);
      if (!members) this.members.set(group, (members = new Set(g.hosts)));
      if (!members.has(name)) {
        members.add(name);
        g.hosts.push(name);
        h.groups.push(group);
      }
    }
    if (port !== undefined) h.vars['ansible_port'] = port;
    return h;
  }

  setGroupVar(group: string, key: string, value: unknown): void {
    const g = this.addGroup(group);
    if (key === 'ansible_group_priority') {
      const n = Number(value);
      if (!Number.isInteger(n)) throw new InventoryError(`ansible_group_priority of group ${group} must be a whole number, got ${JSON.stringify(value)}.`);
      g.priority = n;
      return;
    }
    g.vars[key] = value;
  }

  setHostVar(host: string, key: string, value: unknown): void {
    this.addHost(host).vars[key] = value;
  }

  /** make `child` a child group of `parent`; a loop is an error naming both */
  addChild(parent: string, child: string, where: InventoryErrorWhere = {}): void {
    const p = this.addGroup(parent);
    const c = this.addGroup(child);
    let children = this.childSets.get(parent);
    if (!children) this.childSets.set(parent, (children = new Set(p.children)));
    if (children.has(child)) return;
    if (parent === child || this.descendants(child).has(parent)) {
      const path = this.pathBetween(child, parent) ?? [child, parent];
      throw new InventoryError(
        `adding group ${child} as a child of ${parent} makes a loop of children: ${[...path, child].join(' -> ')}. Fix: remove one of these children entries.`,
        where,
      );
    }
    p.children.push(child);
    children.add(child);
    c.parents.push(parent);
  }

  descendants(group: string): Set<string> {
    const seen = new Set<string>();
    const stack = [...(this.groups.get(group)?.children ?? [])];
    while (stack.length) {
      const g = stack.pop()!;
      if (seen.has(g)) continue;
      seen.add(g);
      for (const x of this.groups.get(g)?.children ?? []) stack.push(x);
    }
    return seen;
  }

  private pathBetween(from: string, to: string, seen = new Set<string>()): string[] | undefined {
    if (from === to) return [to];
    if (seen.has(from)) return undefined;
    seen.add(from);
    for (const c of this.groups.get(from)?.children ?? []) {
      const rest = this.pathBetween(c, to, seen);
      if (rest) return [from, ...rest];
    }
    return undefined;
  }

  /** Ansible's reconcile_inventory: parentless groups go under all, lone hosts into ungrouped. */
  reconcile(): void {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name);
    }
    const ungrouped = this.groups.get('ungrouped')!;
    const leave = new Set<string>();
    for (const h of this.hosts.values()) {
      const others = h.groups.filter((g) => g !== 'all' && g !== 'ungrouped');
      if (h.groups.includes('ungrouped')) {
        if (others.length) {
          leave.add(h.name);
          h.groups = h.groups.filter((g) => g !== 'ungrouped');
          this.members.get('ungrouped')?.delete(h.name);
        }
      } else if (others.length === 0) this.addHost(h.name, 'ungrouped');
    }
    if (leave.size) ungrouped.hosts = ungrouped.hosts.filter((x) => !leave.has(x));
  }
}
