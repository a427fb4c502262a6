import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { attackMap, parseAttack } from '../../../src/catalogue/attack.js';

// attack/techniques.yml covers every rule (a technique list, or [] on purpose) and names no rule that
// does not exist; its ids are ATT&CK-shaped; a broken file says file:line and the fix.

function ruleIds(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/\b(?:id|rule): '([a-z0-9]+\.[a-z0-9.-]+)'/g)) out.add(m[1]!);
    }
  };
  walk(path.resolve('src/rules'));
  return out;
}

describe('ATT&CK map', () => {
  const map = attackMap();
  const rules = ruleIds();

  it('maps every rule, and only rules that exist', () => {
    expect(rules.size).toBeGreaterThan(40);
    expect([...rules].filter((r) => !map.rules.has(r))).toEqual([]);
    expect([...map.rules.keys()].filter((r) => !rules.has(r))).toEqual([]);
  });

  it('gives the miner, cron and key rules their techniques', () => {
    expect(map.rules.get('process.miner-argv')!.map((t) => t.id)).toEqual(['T1496']);
    expect(map.rules.get('cron.download-pipe-shell')!.map((t) => t.id)).toContain('T1053.003');
    expect(map.rules.get('key.judged')![0]).toEqual({ id: 'T1098.004', name: 'Account Manipulation: SSH Authorized Keys' });
  });

  it('says file:line and the fix for an unknown technique or a malformed id', () => {
    expect(() => parseAttack('techniques:\n  T1496: Resource Hijacking\nrules:\n  x.y: [T9999]\n', 'a.yml')).toThrow(/^a\.yml:4: rule x\.y: technique "T9999" is not under techniques:/);
    expect(() => parseAttack('techniques:\n  T14: x\nrules: {}\n', 'a.yml')).toThrow(/^a\.yml:2: technique id "T14": expected T1234 or T1234\.001/);
  });
});
