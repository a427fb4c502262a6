import { describe, expect, it } from 'vitest';
import { buildInventory } from '../../../src/inventory/build-inventory.js';
import { parseIniInventory } from '../../../src/inventory/ini-inventory.js';
import { InventoryData } from '../../../src/inventory/inventory-data.js';
import { globToRegExp, selectHosts, splitPattern } from '../../../src/inventory/patterns.js';

const data = new InventoryData();
parseIniInventory(
  ['[web]', 'web[1:4].example.com', '[db]', 'db1.example.com', 'db2.example.com', '[prod:children]', 'web', 'db', '[canary]', 'web2.example.com', 'db2.example.com'].join('\n'),
  'hosts',
  data,
);
data.reconcile();
const inv = buildInventory(data);
const names = (pattern: string | undefined, limit?: string, files: Record<string, string> = {}) =>
  selectHosts(inv, pattern, limit, (p) => files[p] ?? '').map((h) => h.name.replace('.example.com', ''));

describe('splitPattern', () => {
  it.each([
    ['web:db', ['web', 'db']],
    ['web,db:!x', ['web', 'db:!x']], // as Ansible: with commas, colons do not split
    ['web:&prod:!web1', ['web', '&prod', '!web1']],
    ['web[0:2]:db', ['web[0:2]', 'db']],
    ['host.example.com:2222', ['host.example.com:2222']],
    ['2001:db8::1', ['2001:db8::1']],
    [' web , db ', ['web', 'db']],
  ])('%s -> %j', (p, terms) => expect(splitPattern(p)).toEqual(terms));
});

describe('selectHosts', () => {
  it('selects all by default, in the order Ansible lists it (group by group, level by level)', () => {
    // recorded: ansible -i hosts all --list-hosts
    expect(names(undefined)).toEqual(['web2', 'db2', 'web1', 'web3', 'web4', 'db1']);
    expect(names('*')).toEqual(names('all'));
  });

  it('unions, intersects and excludes (in that order, whatever the order written)', () => {
    expect(names('db:web1.example.com')).toEqual(['db1', 'db2', 'web1']);
    expect(names('prod:&canary')).toEqual(['web2', 'db2']);
    expect(names('!canary:prod')).toEqual(['web1', 'web3', 'web4', 'db1']);
    expect(names('&canary')).toEqual(['web2', 'db2']); // only modifiers: applied to all
  });

  it('matches globs and ~regex on groups and host names', () => {
    expect(names('web?.example.com')).toEqual(['web1', 'web2', 'web3', 'web4']);
    expect(names('*db*')).toEqual(['db1', 'db2']);
    expect(names('web[!1].example.com')).toEqual(['web2', 'web3', 'web4']);
    expect(names('~web[13]')).toEqual(['web1', 'web3']);
    expect(names('~(ca|d)')).toEqual(['db1', 'db2', 'web2']); // groups db then canary (inventory order), as Ansible
  });

  it('takes subscripts', () => {
    expect(names('web[0]')).toEqual(['web1']);
    expect(names('web[-1]')).toEqual(['web4']);
    expect(names('web[1:2]')).toEqual(['web2', 'web3']);
    expect(names('web[2:]')).toEqual(['web3', 'web4']);
    expect(() => names('web[9]')).toThrow(/no host at index 9 of web \(it has 4\)/);
  });

  it('narrows with --limit, including @file with one host per line', () => {
    expect(names('prod', 'canary')).toEqual(['web2', 'db2']);
    expect(names('all', '@failed.txt', { 'failed.txt': 'db1.example.com\n\n web3.example.com \n' })).toEqual(['web3', 'db1']);
    expect(names('web', '!web1.example.com')).toEqual(['web2', 'web3', 'web4']);
  });

  it('refuses a term that matches nothing, listing the groups', () => {
    expect(() => names('wbe')).toThrow(/the pattern term "wbe" \(in "wbe"\) matches no group and no host\. Groups are: web, db, prod, canary\. Fix:/);
    expect(() => names('web:!db3')).toThrow(/"db3"/);
    expect(() => names('all', '@f', { f: 'gone.example.com\n' })).toThrow(/"gone\.example\.com" \(in "--limit @f"\)/);
    expect(() => names('~web(')).toThrow(/invalid host pattern "~web\(".*Fix: check the regular expression/);
  });
});

describe('globToRegExp (fnmatch)', () => {
  it('matches whole names, case-sensitively, with sets', () => {
    expect(globToRegExp('web*').test('web1.example.com')).toBe(true);
    expect(globToRegExp('web').test('web1')).toBe(false);
    expect(globToRegExp('Web*').test('web1')).toBe(false);
    expect(globToRegExp('db[12]').test('db2')).toBe(true);
    expect(globToRegExp('a[').test('a[')).toBe(true);
  });
});

describe('limit files', () => {
  it('reads a real file and says clearly when it is missing', async () => {
    const { parseLimitFile, readLimitFile } = await import('../../../src/inventory/limit-file.js');
    expect(parseLimitFile(' a \r\n\nb\n')).toEqual(['a', 'b']);
    expect(() => readLimitFile('/nonexistent/failed.txt')).toThrow(/the limit file \/nonexistent\/failed\.txt does not exist/);
    expect(() => readLimitFile('/tmp')).toThrow(/must name a file with one host per line, not a directory/);
  });
});
