import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findAnsibleCfg, loadAnsibleSettings, parseIni } from '../../../src/inventory/ansible-config.js';

// ansible.cfg found in Ansible's order and read with configparser's rules; ANSIBLE_* win.

function tree() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ms-ansiblecfg-'));
  const home = path.join(root, 'home');
  const cwd = path.join(root, 'project');
  const other = path.join(root, 'other');
  for (const d of [home, cwd, other]) mkdirSync(d);
  writeFileSync(path.join(home, '.ansible.cfg'), '[defaults]\nremote_user = from-home\n');
  writeFileSync(path.join(cwd, 'ansible.cfg'), [
    '# a project config',
    '[defaults]',
    'inventory = ./hosts.ini, ../shared/inv.yml',
    'remote_user: deploy ; inline comment',
    'private_key_file = ~/.ssh/fleet',
    'host_key_checking = False',
    'forks = 25',
    'timeout = 7',
    '[ssh_connection]',
    'ssh_args = -o ControlMaster=auto',
    '  -o ServerAliveInterval=9',
    'ssh_common_args = -o ProxyJump=bastion',
    '',
  ].join('\n'));
  writeFileSync(path.join(other, 'ansible.cfg'), '[defaults]\nforks = 3\n');
  return { root, home, cwd, other };
}

describe('ansible.cfg', () => {
  it('search order: ANSIBLE_CONFIG (file or directory), ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg', () => {
    const t = tree();
    expect(findAnsibleCfg({}, t.cwd, t.home).file).toBe(path.join(t.cwd, 'ansible.cfg'));
    expect(findAnsibleCfg({ ANSIBLE_CONFIG: t.other }, t.cwd, t.home).file).toBe(path.join(t.other, 'ansible.cfg'));
    expect(findAnsibleCfg({ ANSIBLE_CONFIG: path.join(t.other, 'ansible.cfg') }, t.cwd, t.home).file).toBe(path.join(t.other, 'ansible.cfg'));
    // a missing ANSIBLE_CONFIG falls through to the next candidate, as in Ansible
    expect(findAnsibleCfg({ ANSIBLE_CONFIG: path.join(t.root, 'nope.cfg') }, t.cwd, t.home).file).toBe(path.join(t.cwd, 'ansible.cfg'));
    expect(findAnsibleCfg({}, t.other + '/..', t.home).file).toBe(path.join(t.home, '.ansible.cfg'));
  });
  it('./ansible.cfg in a world-writable directory is skipped with a warning', () => {
    const t = tree();
    chmodSync(t.cwd, 0o777);
    const f = findAnsibleCfg({}, t.cwd, t.home);
    expect(f.file).toBe(path.join(t.home, '.ansible.cfg'));
    expect(f.warnings[0]).toMatch(/world-writable/);
  });
  it('reads the settings minesweep uses (paths relative to the file, continuation lines, inline ; comments)', () => {
    const t = tree();
    const s = loadAnsibleSettings({}, t.cwd, t.home);
    expect(s).toMatchObject({
      inventory: [path.join(t.cwd, 'hosts.ini'), path.join(t.root, 'shared/inv.yml')],
      remoteUser: 'deploy', privateKeyFile: path.join(t.home, '.ssh/fleet'), hostKeyChecking: false, forks: 25, timeoutSec: 7,
      sshArgs: '-o ControlMaster=auto\n-o ServerAliveInterval=9', sshCommonArgs: '-o ProxyJump=bastion',
    });
  });
  it('ANSIBLE_* variables win over the file', () => {
    const t = tree();
    const s = loadAnsibleSettings({ ANSIBLE_REMOTE_USER: 'env-user', ANSIBLE_FORKS: '4', ANSIBLE_HOST_KEY_CHECKING: 'yes', ANSIBLE_INVENTORY: 'a.yml,b.ini', ANSIBLE_SSH_ARGS: '-C' }, t.cwd, t.home);
    expect(s).toMatchObject({ remoteUser: 'env-user', forks: 4, hostKeyChecking: true, inventory: [path.join(t.cwd, 'a.yml'), path.join(t.cwd, 'b.ini')], sshArgs: '-C' });
  });
  it('bad values and lines are errors naming the file and line', () => {
    const t = tree();
    writeFileSync(path.join(t.other, 'ansible.cfg'), '[defaults]\nforks = many\n');
    expect(() => loadAnsibleSettings({ ANSIBLE_CONFIG: t.other }, t.cwd, t.home)).toThrow(/ansible.cfg:2 \(forks\): expected a positive whole number, got "many"/);
    expect(() => parseIni('remote_user = x\n', '/x/ansible.cfg')).toThrow(/outside any \[section\]/);
    expect(() => loadAnsibleSettings({ ANSIBLE_HOST_KEY_CHECKING: 'perhaps' }, t.cwd, t.home)).toThrow(/ANSIBLE_HOST_KEY_CHECKING: expected a boolean/);
  });
});
