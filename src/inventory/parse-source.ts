import { isMap } from 'yaml';
import { InventoryError } from './errors.js';
import { parseIniInventory } from './ini-inventory.js';
import type { InventoryData } from './inventory-data.js';
import { addListInventory, isListLayout } from './json-inventory.js';
import { readYaml, type YamlSource } from './yaml-document.js';
import { addYamlInventory } from './yaml-inventory.js';

// Which of the three formats a file is, from its extension and content, as Ansible tries
// its plugins: YAML (and JSON in the same layout) for .yml/.yaml/.json/no extension,
// the --list JSON layout when it has _meta or host lists, INI for everything else.

export type InventoryFormat = 'yaml' | 'ini' | 'json-list';

/** Parse one inventory file's text into `data`; returns the format it was read as. */
export function parseInventorySource(text: string, file: string, data: InventoryData): InventoryFormat {
  if (text.startsWith('$ANSIBLE_VAULT;')) {
    throw new InventoryError('the file is encrypted with ansible-vault, which minesweep cannot decrypt. Fix: `ansible-vault view FILE > plain-file` and pass that (keep it private).', { file, line: 1, column: 1 });
  }
  const ext = /\.([^./]+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
  const yamlExt = ['yml', 'yaml', 'json'].includes(ext);
  if (ext === 'ini' || ext === 'cfg' || looksLikeIni(text)) {
    parseIniInventory(text, file, data);
    return 'ini';
  }
  // ansible-inventory --list output is plain JSON and can be huge: JSON.parse is many times
  // faster than the YAML composer; anything else (or a syntax error) goes the YAML way
  const json = /^\s*\{/.test(text) ? plainJson(text) : undefined;
  if (json !== undefined && (ext === 'json' || (typeof json === 'object' && json !== null && '_meta' in json)) && isListLayout(json)) {
    addListInventory(json, file, data);
    return 'json-list';
  }
  let y: YamlSource;
  try {
    y = readYaml(text, file);
  } catch (yamlError) {
    if (yamlExt || looksLikeYaml(text)) throw yamlError;
    parseIniInventory(text, file, data);
    return 'ini';
  }
  if (!isMap(y.doc.contents)) {
    if (yamlExt && text.trim() !== '') {
      try {
        parseIniInventory(text, file, data);
        return 'ini';
      } catch {
        addYamlInventory(y, file, data); // throws the YAML-layout error, which is the better message here
      }
    }
    if (text.trim() === '' && !yamlExt) return 'ini'; // an empty INI file is an empty inventory
    if (!yamlExt) {
      parseIniInventory(text, file, data);
      return 'ini';
    }
    addYamlInventory(y, file, data);
    return 'yaml';
  }
  // a YAML file with `hosts: [a, b]` is a mistake in the YAML layout, not --list output
  if (ext === 'json' || y.doc.contents.has('_meta')) {
    const value = y.value(y.doc.contents);
    if (isListLayout(value)) {
      addListInventory(value, file, data);
      return 'json-list';
    }
  }
  addYamlInventory(y, file, data);
  return 'yaml';
}

function plainJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(at, end).trim();
    if (line && !line.startsWith('#') && !line.startsWith(';') && line !== '---') return line;
    at = end + 1;
  }
  return '';
}

function looksLikeIni(text: string): boolean {
  return /^\[[^\]\s]+\]\s*(?:[#;].*)?$/.test(firstLine(text));
}

function looksLikeYaml(text: string): boolean {
  const l = firstLine(text);
  return /^[^\s=]+:(\s|$)/.test(l) || l.startsWith('{');
}
