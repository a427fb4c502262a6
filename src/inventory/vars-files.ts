import { isMap, isScalar } from 'yaml';
import { InventoryError } from './errors.js';
import type { Vars } from './types.js';
import { kindOf, readYaml } from './yaml-document.js';

// group_vars/ and host_vars/ as Ansible's host_group_vars plugin reads them: for a name,
// the first of `name` (file or directory), `name.yml`, `name.yaml`, `name.json`; a
// directory contributes its files (and subdirectories) in sorted order, later files winning.

/** candidate paths for one group or host name, in the order Ansible tries them (first that exists wins) */
export const VARS_SUFFIXES = ['', '.yml', '.yaml', '.json'];

/** whether a directory entry inside group_vars/NAME/ is read */
export function isVarsDirEntry(entry: string, isDir: boolean): boolean {
  if (entry.startsWith('.') || entry.endsWith('~')) return false;
  const ext = /(\.[^.]*)$/.exec(entry)?.[1] ?? '';
  if (isDir) return ext === '';
  return ext === '' || VARS_SUFFIXES.includes(ext);
}

/** Parse one vars file: a YAML (or JSON) mapping; empty means no variables. */
export function parseVarsFile(text: string, file: string): Vars {
  if (text.startsWith('$ANSIBLE_VAULT;')) {
    throw new InventoryError('the vars file is encrypted with ansible-vault, which minesweep cannot decrypt. Fix: decrypt it (`ansible-vault decrypt`) or move the secret out of it.', { file, line: 1, column: 1 });
  }
  const y = readYaml(text, file);
  const root = y.doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return {};
  if (!isMap(root)) {
    throw new InventoryError(`expected a mapping of variables (name: value), got ${kindOf(y.value(root))}. Fix: write one \`name: value\` per line.`, y.where(root));
  }
  return y.value(root) as Vars;
}
