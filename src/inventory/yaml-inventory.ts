import { isMap, isScalar, type Node, type Pair } from 'yaml';
import { InventoryError } from './errors.js';
import type { InventoryData } from './inventory-data.js';
import { expandHostPattern } from './ranges.js';
import { kindOf, readYaml, type YamlSource } from './yaml-document.js';

// Ansible's YAML inventory (the `yaml` inventory plugin): top-level keys are groups
// (usually just `all`), each with `hosts`, `children` and `vars`; hosts map to their vars.

const SECTIONS = ['hosts', 'children', 'vars'];

/** Parse a YAML inventory into `data`. */
export function parseYamlInventory(text: string, file: string, data: InventoryData): void {
  const y = readYaml(text, file);
  addYamlInventory(y, file, data);
}

/** Walk an already parsed YAML document (also used for JSON files in the YAML layout). */
export function addYamlInventory(y: YamlSource, file: string, data: InventoryData): void {
  const root = y.doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    throw new InventoryError('the inventory is empty: expected a mapping with an `all:` group. Fix: add `all:\\n  hosts:\\n    host1:`.', { file, line: 1, column: 1 });
  }
  if (!isMap(root)) {
    throw new InventoryError(`expected a mapping of groups (all:, web:, …) at the top, got ${kindOf(y.value(root))}. Fix: start the file with \`all:\`.`, y.where(root));
  }
  const plugin = root.items.find((p) => keyOf(p) === 'plugin');
  if (plugin) {
    throw new InventoryError(
      `this is an inventory plugin configuration (plugin: ${String(y.value(plugin.value))}), which minesweep does not run. Fix: run \`ansible-inventory -i ${file} --list > inventory.json\` and pass that file.`,
      y.where(plugin.key as Node),
    );
  }
  for (const pair of root.items) parseGroup(y, data, groupName(y, pair), pair.value as Node | null);
}

function parseGroup(y: YamlSource, data: InventoryData, group: string, node: Node | null): string {
  data.addGroup(group);
  if (isEmpty(node)) return group;
  if (!isMap(node)) {
    throw new InventoryError(
      `group ${group}: expected a mapping with hosts, children or vars, got ${kindOf(y.value(node))}. Fix: write \`${group}:\\n  hosts:\\n    host1:\`.`,
      y.where(node),
    );
  }
  for (const pair of node.items) {
    const section = keyOf(pair);
    if (!SECTIONS.includes(section)) {
      throw new InventoryError(
        `group ${group}: unexpected key ${JSON.stringify(section)}; expected hosts, children or vars. Fix: rename it (a host goes under hosts:, a child group under children:).`,
        y.where(pair.key as Node),
      );
    }
    const value = pair.value as Node | null;
    if (isEmpty(value)) continue;
    if (isScalar(value) && typeof value.value === 'string') {
      // Ansible accepts a single name: `hosts: web1` means `hosts: {web1: }`
      addEntry(y, data, group, section, String(value.value), null, value);
      continue;
    }
    if (!isMap(value)) {
      throw new InventoryError(
        `group ${group}: "${section}" must be a mapping, got ${kindOf(y.value(value))}. Fix: write each entry as \`name:\` on its own line (a YAML list "- name" is not accepted by Ansible either).`,
        y.where(value),
      );
    }
    for (const entry of value.items) addEntry(y, data, group, section, entryName(y, entry, group, section), entry.value as Node | null, entry.key as Node);
  }
  return group;
}

function addEntry(y: YamlSource, data: InventoryData, group: string, section: string, name: string, value: Node | null, at: Node): void {
  if (section === 'vars') {
    data.setGroupVar(group, name, y.value(value));
  } else if (section === 'children') {
    data.addChild(group, parseGroup(y, data, name, value), y.where(at));
  } else {
    let expanded: { hosts: string[]; port?: number };
    try {
      expanded = expandHostPattern(name);
    } catch (e) {
      throw e instanceof InventoryError ? new InventoryError(e.detail, y.where(at)) : e;
    }
    const vars = y.value(value);
    if (vars !== null && (typeof vars !== 'object' || Array.isArray(vars))) {
      throw new InventoryError(
        `host ${name}: expected its variables as a mapping, got ${kindOf(vars)}. Fix: write \`${name}:\` and below it, indented, \`ansible_host: …\`.`,
        y.where(value),
      );
    }
    for (const h of expanded.hosts) {
      data.addHost(h, group, expanded.port);
      for (const [k, v] of Object.entries((vars ?? {}) as Record<string, unknown>)) data.setHostVar(h, k, v);
    }
  }
}

function isEmpty(node: Node | null): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function keyOf(pair: Pair): string {
  const k = pair.key;
  return isScalar(k) ? String(k.value) : String(k);
}

function groupName(y: YamlSource, pair: Pair): string {
  const k = pair.key;
  if (!isScalar(k) || k.value === null || typeof k.value === 'object') {
    throw new InventoryError('expected a group name as key, got a complex key. Fix: use a plain name.', y.where(k as Node));
  }
  return String(k.value);
}

function entryName(y: YamlSource, pair: Pair, group: string, section: string): string {
  const k = pair.key;
  if (!isScalar(k) || k.value === null || typeof k.value === 'object') {
    throw new InventoryError(`group ${group}: expected a name under ${section}, got a complex or empty key. Fix: use a plain name.`, y.where(k as Node));
  }
  return String(k.value);
}
