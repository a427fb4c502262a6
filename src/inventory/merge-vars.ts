import type { GroupData, InventoryData } from './inventory-data.js';
import type { Vars } from './types.js';

// Variable precedence exactly as Ansible's VariableManager (lowest first):
//   all (inventory file) < other groups (inventory files) < group_vars/all
//   < group_vars/<group> < host (inventory file) < host_vars/<host>
// (vars files source by source, in -i order) where "other groups" are the host's groups and their ancestors sorted by depth (parents
// before children), then ansible_group_priority, then name: siblings merge alphabetically.

/** variables read from the group_vars/ and host_vars/ folders next to ONE inventory source */
export interface VarsFiles {
  groups: Map<string, Vars>;
  hosts: Map<string, Vars>;
}

/** Every group the host is in (ancestors included, `all` excluded) in Ansible's merge order. */
export function sortedGroupsOf(data: InventoryData, host: string, depth: Map<string, number>): GroupData[] {
  const found = new Set<string>();
  const stack = [...(data.hosts.get(host)?.groups ?? [])];
  while (stack.length) {
    const g = stack.pop()!;
    if (found.has(g)) continue;
    found.add(g);
    for (const x of data.groups.get(g)?.parents ?? []) stack.push(x);
  }
  found.delete('all');
  return [...found]
    .map((g) => data.groups.get(g)!)
    .sort((a, b) => depth.get(a.name)! - depth.get(b.name)! || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Depth of every group: the longest chain of parents up to `all` (which is 0). */
export function groupDepths(data: InventoryData): Map<string, number> {
  const depth = new Map<string, number>();
  const of = (g: string): number => {
    const known = depth.get(g);
    if (known !== undefined) return known;
    const parents = data.groups.get(g)?.parents ?? [];
    const d = g === 'all' || parents.length === 0 ? 0 : Math.max(...parents.map(of)) + 1;
    depth.set(g, d);
    return d;
  };
  for (const g of data.groups.keys()) of(g);
  return depth;
}

/** The merged variables of one host (top-level keys replace, as Ansible's default hash_behaviour). */
export function mergeHostVars(data: InventoryData, files: VarsFiles[], host: string, groups: GroupData[]): Vars {
  // vars files: source by source, and within a source group by group (Ansible's order)
  const layers: (Vars | undefined)[] = [
    data.groups.get('all')?.vars,
    ...groups.map((g) => g.vars),
    ...files.map((f) => f.groups.get('all')),
    ...files.flatMap((f) => groups.map((g) => f.groups.get(g.name))),
    data.hosts.get(host)?.vars,
    ...files.map((f) => f.hosts.get(host)),
  ];
  const out: Vars = {};
  for (const layer of layers) if (layer) Object.assign(out, layer);
  return structuredClone(out);
}
