import { LineCounter, parseDocument, isScalar, visit, type Document, type Node, type ScalarTag, type Tags } from 'yaml';
import { InventoryError, type InventoryErrorWhere } from './errors.js';

// YAML as Ansible reads it (YAML 1.1: yes/no are booleans; !vault and !unsafe tags), with
// every node's file:line:column at hand for error messages.

const vaultTag: ScalarTag = {
  tag: '!vault',
  // ansible-inventory prints vaulted values this way; minesweep cannot decrypt them
  resolve: (text: string) => ({ __ansible_vault: text }) as unknown as string,
};
const unsafeTag: ScalarTag = { tag: '!unsafe', resolve: (text: string) => text };
// PyYAML's booleans (YAML 1.1 without y/n): `y: 1` is a key named "y", as in Ansible.
const BOOL = 'tag:yaml.org,2002:bool';
const boolTag = (value: boolean, test: RegExp): ScalarTag => ({
  tag: BOOL,
  default: true,
  identify: (v: unknown) => v === value,
  test,
  resolve: () => value,
  stringify: () => String(value),
});
const pyBools = [boolTag(true, /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/), boolTag(false, /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/)];
const customTags = (tags: Tags): Tags => [...pyBools, ...tags.filter((t) => typeof t === 'string' || t.tag !== BOOL), vaultTag, unsafeTag];

export interface YamlSource {
  doc: Document.Parsed;
  /** location of a node (its start) */
  where(node: Node | null | undefined): InventoryErrorWhere;
  /** the plain JS value of a node (null for an empty value) */
  value(node: unknown): unknown;
}

/** Parse YAML text; a syntax error becomes an InventoryError at its line and column. */
export function readYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  // the YAML library's own unique-key check compares each key with every earlier key of its
  // mapping (quadratic: minutes for 100,000 hosts under one group); one pass with a Set here
  const doc = parseDocument(text, { version: '1.1', lineCounter, customTags, prettyErrors: false, uniqueKeys: false });
  const where = (node: Node | null | undefined): InventoryErrorWhere => {
    if (!node?.range) return { file };
    const p = lineCounter.linePos(node.range[0]);
    return { file, line: p.line, column: p.col };
  };
  const err = doc.errors[0];
  const dup = secondKey(doc);
  if (err || dup) {
    const isDup = dup !== undefined && (!err || (dup.range?.[0] ?? 0) < err.pos[0]);
    const p = lineCounter.linePos(isDup ? (dup.range?.[0] ?? 0) : err!.pos[0]);
    const what = isDup ? `the key ${JSON.stringify(String(isScalar(dup) ? dup.value : '?'))} appears twice in the same mapping (Ansible would silently keep only the last one)` : err!.message.split('\n')[0];
    const fix = isDup ? 'merge the two entries into one' : 'check the indentation, the colons and the quoting on this line and the one above';
    throw new InventoryError(`invalid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${what}. Fix: ${fix}.`, { file, line: p.line, column: p.col });
  }
  const value = (node: unknown): unknown => {
    if (node === null || node === undefined) return null;
    if (isScalar(node) || (typeof node === 'object' && 'toJS' in (node as object))) return (node as Node).toJS(doc, { maxAliasCount: 1000 });
    return node;
  };
  return { doc, where, value };
}

/** the first key (in the text) that repeats an earlier key of its mapping: one pass, a Set per mapping */
function secondKey(doc: Document.Parsed): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const k = isScalar(pair.key) ? pair.key.value : pair.key;
        const at = (pair.key as Node | null)?.range?.[0] ?? 0;
        if (seen.has(k) && (!found || at < (found.range?.[0] ?? 0))) found = pair.key as Node;
        seen.add(k);
      }
    },
  });
  return found;
}

/** a human name for the kind of a YAML value, for "expected … got …" messages */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}
