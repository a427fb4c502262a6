import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { catalogueDir } from '../core/paths.js';

// ATT&CK technique ids per rule, from attack/techniques.yml (data, not code; kept apart from the family catalogue's *.yml): loaded once, checked.

export interface Technique {
  id: string;
  name: string;
}

export interface AttackMap {
  techniques: Map<string, string>;
  rules: Map<string, Technique[]>;
}

const ID = /^T\d{4}(\.\d{3})?$/;

/** Parse and check attack.yml text; errors name the file, the line and the fix. Pure. */
export function parseAttack(text: string, file: string): AttackMap {
  const lineOf = (needle: string) => Math.max(1, text.split('\n').findIndex((l) => l.includes(needle)) + 1);
  const fail = (needle: string, msg: string): never => {
    throw new Error(`${file}:${lineOf(needle)}: ${msg}`);
  };
  const doc = parse(text) as { techniques?: Record<string, unknown>; rules?: Record<string, unknown> } | null;
  if (!doc || typeof doc.techniques !== 'object' || typeof doc.rules !== 'object') fail('', 'expected two maps: techniques (id: name) and rules (rule id: [technique ids])');
  const techniques = new Map<string, string>();
  for (const [id, name] of Object.entries(doc!.techniques!)) {
    if (!ID.test(id)) fail(id, `technique id ${JSON.stringify(id)}: expected T1234 or T1234.001`);
    if (typeof name !== 'string' || !name) fail(id, `technique ${id}: expected its name`);
    techniques.set(id, name as string);
  }
  const rules = new Map<string, Technique[]>();
  for (const [rule, ids] of Object.entries(doc!.rules!)) {
    if (!Array.isArray(ids)) fail(rule, `rule ${rule}: expected a list of technique ids ([] for none)`);
    rules.set(rule, (ids as unknown[]).map((id) => {
      const name = typeof id === 'string' ? techniques.get(id) : undefined;
      if (!name) fail(rule, `rule ${rule}: technique ${JSON.stringify(id)} is not under techniques:; add it with its name`);
      return { id: id as string, name: name! };
    }));
  }
  return { techniques, rules };
}

let loaded: AttackMap | null = null;

/** The shipped map (src/catalogue/attack/techniques.yml). */
export function attackMap(): AttackMap {
  if (!loaded) {
    const file = path.join(catalogueDir, 'attack', 'techniques.yml');
    loaded = parseAttack(readFileSync(file, 'utf8'), file);
  }
  return loaded;
}

/** The techniques a finding of this rule shows; none for an unmapped rule. */
export const attackFor = (rule: string): Technique[] => attackMap().rules.get(rule) ?? [];
