import { describe, expect, it } from 'vitest';
import { buildInventory } from '../../../src/inventory/build-inventory.js';
import { parseIniInventory } from '../../../src/inventory/ini-inventory.js';
import { InventoryData } from '../../../src/inventory/inventory-data.js';

function parse(text: string) {
  const data = new InventoryData();
  parseIniInventory(text, 'hosts.ini', data);
  data.reconcile();
  return buildInventory(data);
}

describe('INI inventory', () => {
  it('accepts children and vars declared before the group itself', () => {
    const inv = parse('[prod:children]\nweb\n\n[web:vars]\nport=8080\n\n[web]\nweb1\n');
    expect(inv.groups.get('prod')!.children).toEqual(['web']);
    expect(inv.hosts.get('web1')!.vars).toEqual({ port: 8080 });
    expect(inv.hosts.get('web1')!.groups).toEqual(['all', 'prod', 'web']);
  });

  it('puts hosts before any section in ungrouped, and [all:vars] applies to everyone', () => {
    const inv = parse('lonely\n[all:vars]\nx=1\n[web]\nweb1\n');
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['lonely']);
    expect(inv.hosts.get('web1')!.vars).toEqual({ x: 1 });
  });

  it('reads quoted values with spaces and cuts comments', () => {
    const inv = parse('[web]\nweb1 motd="hello world" key=\'a#b\' cut=a#b rest=gone ; not a comment\n');
    expect(inv.hosts.get('web1')!.vars).toEqual({ motd: 'hello world', key: 'a#b', cut: 'a' });
  });

  it.each([
    ['[web]\nweb1 oops\n', /^hosts\.ini:2:6: expected key=value after the host name, got "oops"/],
    ['[web:hostz]\nweb1\n', /^hosts\.ini:1:1: section \[web:hostz\] has an unknown type "hostz"/],
    ['[web servers]\nweb1\n', /^hosts\.ini:1:1: invalid section header \[web servers\]/],
    ['[web:vars]\nport 80\n[web]\n', /^hosts\.ini:2:1: expected key=value in \[web:vars\], got "port 80"/],
    ['[prod:children]\nweb\n', /^hosts\.ini:2:1: section \[prod:children\] names the group web, which is not declared anywhere/],
    ['[web:vars]\nx=1\n', /^hosts\.ini:1:1: section \[web:vars\] is for a group that is not declared anywhere/],
    ['[a:children]\nb\n[b:children]\na\n', /^hosts\.ini:4:1: adding group a as a child of b makes a loop of children/],
    ['[web]\nweb[1:x]\n', /^hosts\.ini:2:1: bad host range in "web\[1:x\]"/],
    ['[web]\nweb1 a="unclosed\n', /^hosts\.ini:2:1: cannot split the host line: unterminated double quote/],
  ])('errors clearly on %j', (text, message) => {
    expect(() => parse(text)).toThrow(message);
  });
});
