import type { InventoryData } from './inventory-data.js';
import { groupDepths, mergeHostVars, sortedGroupsOf, type VarsFiles } from './merge-vars.js';
import type { Inventory, InventoryHost } from './types.js';

// From parsed data (already reconciled) and group_vars/host_vars to the Inventory
// everything else uses: hosts in the order they were defined (as Ansible keeps them;
// selectHosts gives the order of a pattern), vars merged.

/** Build the resolved inventory. */
export function buildInventory(data: InventoryData, files: VarsFiles[] = []): Inventory {
  const depth = groupDepths(data);
  const hosts = new Map<string, InventoryHost>();
  for (const name of data.hosts.keys()) {
    const groups = sortedGroupsOf(data, name, depth);
    hosts.set(name, { name, groups: ['all', ...groups.map((g) => g.name)], vars: mergeHostVars(data, files, name, groups) });
  }
  const groups: Inventory['groups'] = new Map();
  for (const g of data.groups.values()) {
    groups.set(g.name, { children: [...g.children], hosts: [...g.hosts], vars: Object.assign({ ...g.vars }, ...files.map((f) => f.groups.get(g.name))) });
  }
  return { sources: [...data.sources], hosts, groups };
}
