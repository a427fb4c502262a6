import { afterEach, describe, expect, it } from 'vitest';
import { buildInventory } from '../../../src/inventory/build-inventory.js';
import { InventoryError } from '../../../src/inventory/errors.js';
import { InventoryData } from '../../../src/inventory/inventory-data.js';
import { parseInventorySource } from '../../../src/inventory/parse-source.js';
import { selectHosts } from '../../../src/inventory/patterns.js';

// Inventory expansion grows linearly with the number of hosts. Not timed (npm run bench
// times 10k/20k/100k hosts): the work is COUNTED — every element an array scan visits
// (callbacks of some/find/filter/map/forEach/…, and the length scanned by includes/indexOf),
// in our code and in the YAML library alike — for n and 4n hosts. Linear work gives a ratio
// near 4; a scan per host over all earlier hosts (the YAML library's unique-key check, a
// seen.includes per host) gives 16.

const CALLBACKS = ['some', 'every', 'find', 'findIndex', 'filter', 'map', 'forEach', 'reduce', 'flatMap'] as const;
const SCANS = ['includes', 'indexOf', 'lastIndexOf'] as const;
const proto = Array.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
const saved = new Map<string, (...a: unknown[]) => unknown>();
let ops = 0;

function startCounting(): void {
  ops = 0;
  for (const name of CALLBACKS) {
    const orig = proto[name]!;
    saved.set(name, orig);
    proto[name] = function (this: unknown[], fn: (...a: unknown[]) => unknown, ...rest: unknown[]) {
      return orig.call(this, (...a: unknown[]) => (ops++, fn(...a)), ...rest);
    };
  }
  for (const name of SCANS) {
    const orig = proto[name]!;
    saved.set(name, orig);
    proto[name] = function (this: unknown[], ...a: unknown[]) {
      ops += this.length;
      return orig.apply(this, a);
    };
  }
}
function stopCounting(): number {
  for (const [name, fn] of saved) proto[name] = fn;
  saved.clear();
  return ops;
}
afterEach(() => void stopCounting());

function yamlInventory(n: number): string {
  let s = 'all:\n  vars:\n    ansible_user: root\n  children:\n    web:\n      hosts:\n';
  for (let i = 0; i < n; i++) s += `        web${i}:\n          ansible_host: 10.0.${i >> 8 & 255}.${i & 255}\n`;
  return s + '    prod:\n      children:\n        web:\n';
}
function iniInventory(n: number): string {
  let s = '[web]\n';
  for (let i = 0; i < n; i++) s += `web${i} ansible_host=10.0.${i >> 8 & 255}.${i & 255}\n`;
  return s + '[prod:children]\nweb\n';
}
/** one group per host (as per-host tags make), all under one parent */
function groupPerHost(n: number): string {
  let s = '[web]\n';
  for (let i = 0; i < n; i++) s += `[tag${i}]\nweb${i}\n`;
  s += '[prod:children]\n';
  for (let i = 0; i < n; i++) s += `tag${i}\n`;
  return s;
}
function listInventory(n: number): string {
  const hosts = Array.from({ length: n }, (_, i) => `web${i}`);
  const hostvars = Object.fromEntries(hosts.map((h, i) => [h, { ansible_host: `10.0.${i >> 8 & 255}.${i & 255}` }]));
  return JSON.stringify({ _meta: { hostvars }, all: { children: ['ungrouped', 'prod'] }, prod: { children: ['web'] }, web: { hosts } });
}

/** Parse, reconcile, build and select: the work counted; returns the selected host names. */
function expand(text: string, file: string, limit: string | undefined): { ops: number; selected: string[] } {
  startCounting();
  const data = new InventoryData();
  parseInventorySource(text, file, data);
  data.reconcile();
  const inv = buildInventory(data);
  const selected = selectHosts(inv, 'all', limit).map((h) => h.name);
  return { ops: stopCounting(), selected };
}

const FORMATS = [
  ['YAML', 'inv.yml', yamlInventory],
  ['INI', 'inv.ini', iniInventory],
  ['ansible-inventory --list JSON', 'inv.json', listInventory],
  ['INI, one group per host', 'tags.ini', groupPerHost],
] as const;

describe('inventory expansion is linear in the number of hosts', () => {
  for (const [name, file, make] of FORMATS) {
    for (const limit of [undefined, 'web7', 'prod:!web3']) {
      it(`${name}, --limit ${limit ?? '(none)'}`, () => {
        const small = expand(make(1000), file, limit);
        const big = expand(make(4000), file, limit);
        expect(big.selected.length).toBe(limit === 'web7' ? 1 : limit ? 3999 : 4000);
        expect(big.ops / small.ops, `array work: ${small.ops} at 1,000 hosts, ${big.ops} at 4,000`).toBeLessThan(5);
      });
    }
  }

  it('a duplicate host key is still reported at its line, after the linear check', () => {
    const text = yamlInventory(50) + '    other:\n      hosts:\n        a:\n        b:\n        a:\n';
    let err: unknown;
    try {
      expand(text, 'dup.yml', undefined);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InventoryError);
    expect((err as InventoryError).message).toMatch(/the key "a" appears twice in the same mapping/);
    expect((err as InventoryError).message).toMatch(/dup\.yml:114:9/);
  });
});
