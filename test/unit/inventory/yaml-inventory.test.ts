import { describe, expect, it } from 'vitest';
import { buildInventory } from '../../../src/inventory/build-inventory.js';
import { InventoryError } from '../../../src/inventory/errors.js';
import { InventoryData } from '../../../src/inventory/inventory-data.js';
import { parseYamlInventory } from '../../../src/inventory/yaml-inventory.js';

function parse(text: string) {
  const data = new InventoryData();
  parseYamlInventory(text, 'inv.yml', data);
  data.reconcile();
  return buildInventory(data);
}

function errorOf(text: string): InventoryError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof InventoryError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('YAML inventory', () => {
  it('reads YAML 1.1 values as Ansible (PyYAML): yes is true, y and n are strings', () => {
    const inv = parse('all:\n  hosts:\n    h1:\n      a: yes\n      b: y\n      c: off\n      d: 0755\n      e: "yes"\n');
    expect(inv.hosts.get('h1')!.vars).toEqual({ a: true, b: 'y', c: false, d: 493, e: 'yes' });
  });

  it('accepts a single host name instead of a mapping, and empty sections', () => {
    const inv = parse('all:\n  children:\n    web:\n      hosts: web1\n    db:\n      hosts:\n    empty:\n');
    expect(inv.groups.get('web')!.hosts).toEqual(['web1']);
    expect(inv.groups.get('all')!.children).toEqual(['ungrouped', 'web', 'db', 'empty']);
  });

  it('keeps vaulted values as Ansible prints them and !unsafe as text', () => {
    const inv = parse('all:\n  hosts:\n    h1:\n      pw: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        6162\n      raw: !unsafe "{{ x }}"\n');
    expect(inv.hosts.get('h1')!.vars).toEqual({ pw: { __ansible_vault: '$ANSIBLE_VAULT;1.1;AES256\n6162\n' }, raw: '{{ x }}' });
  });

  it('names file, line and column, expected and got, for a list of hosts', () => {
    const e = errorOf('all:\n  children:\n    web:\n      hosts:\n        - web1\n        - web2\n');
    expect(e).toMatchObject({ file: 'inv.yml', line: 5, column: 9 });
    expect(e.message).toMatch(/^inv\.yml:5:9: group web: "hosts" must be a mapping, got a list\. Fix: write each entry as `name:`/);
  });

  it('refuses a misspelt section instead of silently skipping it', () => {
    const e = errorOf('all:\n  children:\n    web:\n      host:\n        web1:\n');
    expect(e.message).toMatch(/^inv\.yml:4:7: group web: unexpected key "host"; expected hosts, children or vars/);
  });

  it('refuses host variables that are not a mapping', () => {
    expect(errorOf('all:\n  hosts:\n    web1: 10.0.0.1\n').message).toMatch(/^inv\.yml:3:11: host web1: expected its variables as a mapping, got the string "10\.0\.0\.1"/);
  });

  it('reports YAML syntax errors and duplicate keys at their position', () => {
    expect(errorOf('all:\n  hosts:\n    web1:\n   bad: [\n').message).toMatch(/^inv\.yml:\d+:\d+: invalid YAML: /);
    const dup = errorOf('all:\n  children:\n    web:\n    web:\n');
    expect(dup.line).toBe(4);
    expect(dup.message).toMatch(/the key "web" appears twice in the same mapping \(Ansible would silently keep only the last one\)\. Fix: merge the two entries/);
  });

  it('reports a bad range at the host entry', () => {
    expect(errorOf('all:\n  hosts:\n    web[01:100]:\n').message).toMatch(/^inv\.yml:3:5: bad host range in "web\[01:100\]"/);
  });

  it('refuses a loop of children, naming the path', () => {
    const e = errorOf('all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            a:\n');
    expect(e.message).toMatch(/^inv\.yml:5:9: adding group b as a child of a makes a loop of children: b -> a -> b\. Fix:/);
  });

  it('refuses an inventory plugin configuration and an empty or non-mapping file', () => {
    expect(errorOf('plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n').message).toMatch(/inventory plugin configuration \(plugin: amazon\.aws\.aws_ec2\).*ansible-inventory -i inv\.yml --list/);
    expect(errorOf('').message).toMatch(/^inv\.yml:1:1: the inventory is empty/);
    expect(errorOf('- web1\n- web2\n').message).toMatch(/^inv\.yml:1:1: expected a mapping of groups .* got a list/);
  });
});
