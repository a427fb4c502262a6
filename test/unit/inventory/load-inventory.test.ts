import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionVars } from '../../../src/inventory/connection-vars.js';
import { InventoryError } from '../../../src/inventory/errors.js';
import { loadInventory } from '../../../src/inventory/load-inventory.js';

const fixtures = join(import.meta.dirname, '../../fixtures/inventory');
const tmp = mkdtempSync(join(tmpdir(), 'minesweep-inv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const p = join(tmp, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};

describe('loadInventory', () => {
  it('records its sources and reads a directory file by file (skipping .ini, .md, group_vars)', async () => {
    const inv = await loadInventory([join(fixtures, 'inventory-dir')]);
    expect(inv.sources.map((s) => s.replace(fixtures + '/', ''))).toEqual(['inventory-dir/01-base.yml', 'inventory-dir/02-more']);
    expect(inv.groups.has('ignored')).toBe(false);
    expect(inv.hosts.get('web4')!.vars).toEqual({ role: 'web', env: 'production' });
  });

  it("accepts Ansible's comma-separated host list", async () => {
    const inv = await loadInventory(['web1,web[2:3]:2222,']);
    expect([...inv.hosts.keys()]).toEqual(['web1', 'web2', 'web3']);
    expect(inv.hosts.get('web3')!.vars).toEqual({ ansible_port: 2222 });
  });

  it('detects the format by content: INI in a .yml file, YAML without extension, --list JSON', async () => {
    const ini = await loadInventory([write('ini-in.yml', 'web1\nweb2 ansible_port=2\n')]);
    expect(ini.hosts.get('web2')!.vars).toEqual({ ansible_port: 2 });
    const yml = await loadInventory([write('hosts', 'all:\n  hosts:\n    a1:\n')]);
    expect([...yml.hosts.keys()]).toEqual(['a1']);
    const json = await loadInventory([write('inv.json', JSON.stringify({ _meta: { hostvars: { j1: { v: 1 } } }, g: { hosts: ['j1'] } }))]);
    expect(json.hosts.get('j1')).toEqual({ name: 'j1', groups: ['all', 'g'], vars: { v: 1 } });
    const bom = await loadInventory([write('bom.ini', '\uFEFF[web]\nb1\n')]);
    expect(bom.groups.get('web')!.hosts).toEqual(['b1']);
    await expect(loadInventory([write('broken.json', '{"all": {"hosts": {"a": 1,}}')])).rejects.toThrow(/broken\.json:1:\d+: invalid JSON: /);
    const yamlJson = await loadInventory([write('layout.json', JSON.stringify({ all: { hosts: { k1: { v: 2 } } } }))]);
    expect(yamlJson.hosts.get('k1')!.vars).toEqual({ v: 2 });
  });

  it('names the file in every error', async () => {
    const bad = write('bad.yml', 'all:\n  hosts:\n    - web1\n');
    await expect(loadInventory([bad])).rejects.toThrow(`${bad}:3:5: group all: "hosts" must be a mapping`);
    await expect(loadInventory([join(tmp, 'nope.yml')])).rejects.toThrow(/nope\.yml does not exist\. Fix: check the path given with -i/);
    await expect(loadInventory([])).rejects.toThrow(/no inventory given/);
    const vault = write('vaulted.yml', '$ANSIBLE_VAULT;1.1;AES256\n3634\n');
    await expect(loadInventory([vault])).rejects.toThrow(/encrypted with ansible-vault/);
    const script = write('dynamic.py', '#!/usr/bin/env python3\nprint("{}")\n');
    chmodSync(script, 0o755);
    await expect(loadInventory([script])).rejects.toThrow(/executable inventory script.*--list > inventory\.json/);
    write('gv/inv.yml', 'all:\n  hosts:\n    h:\n');
    const gv = write('gv/group_vars/all.yml', '- not\n- a mapping\n');
    const err = await loadInventory([join(tmp, 'gv/inv.yml')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InventoryError);
    expect(err).toMatchObject({ file: gv, line: 1, column: 1 });
    expect(String(err)).toMatch(/expected a mapping of variables \(name: value\), got a list/);
  });

  it('merges several -i: later sources add hosts and override variables', async () => {
    const inv = await loadInventory([join(fixtures, 'multi-a.yml'), join(fixtures, 'multi-b.ini')]);
    expect(inv.hosts.get('web1')!.vars).toEqual({ shared: 'from-b', tier: 'b', ansible_port: 2201 });
    expect(inv.hosts.get('web2')!.vars).toEqual({ shared: 'from-b', tier: 'b', ansible_port: 2202 });
  });

  it('gives the transport connection fields from the connection fixture', async () => {
    const inv = await loadInventory([join(fixtures, 'connection.yml')]);
    expect(connectionVars(inv.hosts.get('app1')!)).toMatchObject({
      address: '10.1.0.1', user: 'ops', privateKeyFile: '~/.ssh/fleet_ed25519', become: false,
    });
    expect(connectionVars(inv.hosts.get('app1')!).sshArgs.common).toEqual(['-o', 'ProxyJump=jump@bastion.example.com:2222', '-o', 'UserKnownHostsFile=/etc/minesweep/known_hosts']);
    expect(connectionVars(inv.hosts.get('app1')!).hostKeyChecking).toBeUndefined();
    expect(connectionVars(inv.hosts.get('old1')!)).toMatchObject({
      address: '10.2.0.1', port: 2200, user: 'admin', password: 'not-a-real-password', become: true, becomeUser: 'root',
      becomePassword: 'also-not-real', hostKeyChecking: 'off',
    });
  });

  it('reads inventory.example.yml and resolves its {{ }} references for the transport', async () => {
    const inv = await loadInventory([join(fixtures, '../../../inventory.example.yml')]);
    expect(inv.hosts.size).toBe(1 + 12 + 3 + 10);
    const batch = connectionVars(inv.hosts.get('batch03.internal')!);
    expect(batch).toMatchObject({ address: 'batch03.internal.example.net', user: 'responder' });
    expect(batch.sshArgs.common?.join(' ')).toContain('ProxyJump=ops@bastion.example.com:2222');
    expect(connectionVars(inv.hosts.get('db-b.example.com')!)).toMatchObject({ port: 2222, become: true, becomeUser: 'root' });
  });
});
