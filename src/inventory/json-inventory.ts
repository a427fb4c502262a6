import { InventoryError } from './errors.js';
import type { InventoryData } from './inventory-data.js';
import { kindOf } from './yaml-document.js';

// The JSON that `ansible-inventory --list` (and inventory scripts) print: groups with
// `hosts` and `children` as lists and `vars`; host variables in `_meta.hostvars`.

/** Is this parsed JSON/YAML value in the --list layout rather than the YAML-inventory layout? */
export function isListLayout(value: unknown): boolean {
  if (!isObject(value)) return false;
  if ('_meta' in value) return true;
  return Object.values(value).some(
    (g) => Array.isArray(g) || (isObject(g) && (Array.isArray(g['hosts']) || Array.isArray(g['children']))),
  );
}

/** Add a --list style inventory to `data` (Ansible's script plugin rules). */
export function addListInventory(value: unknown, file: string, data: InventoryData): void {
  if (!isObject(value)) throw new InventoryError(`expected a JSON object of groups, got ${kindOf(value)}.`, { file });
  const meta = value['_meta'];
  const hostvars = isObject(meta) ? meta['hostvars'] : undefined;
  if (hostvars !== undefined && !isObject(hostvars)) throw new InventoryError(`_meta.hostvars must be an object of host -> variables, got ${kindOf(hostvars)}.`, { file });
  const seen = new Set<string>(); // hosts in the order first listed
  for (const [name, raw] of Object.entries(value)) {
    if (name === '_meta') continue;
    data.addGroup(name);
    let g: Record<string, unknown>;
    if (!isObject(raw)) g = { hosts: raw };
    else if (!('hosts' in raw || 'vars' in raw || 'children' in raw)) g = { hosts: [name], vars: raw };
    else g = raw;
    if (g['hosts'] !== undefined && g['hosts'] !== null) {
      if (!Array.isArray(g['hosts'])) throw new InventoryError(`group ${name}: "hosts" must be a list of host names, got ${kindOf(g['hosts'])}. Fix: "hosts": ["host1", "host2"].`, { file });
      for (const h of g['hosts']) {
        data.addHost(String(h), name);
        seen.add(String(h));
      }
    }
    if (g['vars'] !== undefined && g['vars'] !== null) {
      if (!isObject(g['vars'])) throw new InventoryError(`group ${name}: "vars" must be an object, got ${kindOf(g['vars'])}.`, { file });
      for (const [k, v] of Object.entries(g['vars'])) data.setGroupVar(name, k, v);
    }
    if (g['children'] !== undefined && g['children'] !== null) {
      if (!Array.isArray(g['children'])) throw new InventoryError(`group ${name}: "children" must be a list of group names, got ${kindOf(g['children'])}.`, { file });
      for (const c of g['children']) data.addChild(name, String(c), { file });
    }
  }
  for (const h of seen) {
    const vars = hostvars?.[h];
    if (vars === undefined || vars === null) continue;
    if (!isObject(vars)) throw new InventoryError(`_meta.hostvars.${h} must be an object, got ${kindOf(vars)}.`, { file });
    for (const [k, v] of Object.entries(vars)) data.setHostVar(h, k, v);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
