import { describe, expect, it } from 'vitest';
import { connectionVars } from '../../../src/inventory/connection-vars.js';
import { InventoryError } from '../../../src/inventory/errors.js';

const host = (vars: Record<string, unknown>, name = 'web1') => ({ name, groups: ['all'], vars });

describe('connectionVars', () => {
  it('defaults to the inventory name and leaves the rest to ssh config', () => {
    const c = connectionVars(host({}));
    expect(c).toMatchObject({ address: 'web1', addressFromVars: false, become: false, becomeUser: 'root', becomeMethod: 'sudo' });
    expect(c.port).toBeUndefined();
    expect(c.user).toBeUndefined();
    expect(c.hostKeyChecking).toBeUndefined();
  });

  it('reads the connection variables and lets the later alias win, as Ansible', () => {
    const c = connectionVars(host({
      ansible_host: '10.0.0.1', ansible_ssh_host: '10.0.0.2', ansible_port: '2222', ansible_user: 'deploy',
      ansible_ssh_private_key_file: '~/.ssh/id_ed25519', ansible_ssh_pass: 's3cret', ansible_become: 'yes',
      ansible_become_user: 'admin', ansible_become_pass: 'sudo-pw', ansible_connection: 'ssh',
    }));
    expect(c).toMatchObject({
      address: '10.0.0.2', addressFromVars: true, port: 2222, user: 'deploy', privateKeyFile: '~/.ssh/id_ed25519',
      password: 's3cret', become: true, becomeUser: 'admin', becomePassword: 'sudo-pw', connection: 'ssh',
    });
  });

  it('keeps ansible_ssh_args / _common_args / _extra_args as shlex words for the transport (which reads them as ssh does)', () => {
    const c = connectionVars(host({
      ansible_ssh_common_args: `-o ProxyJump=ops@bastion:2222,inner -o 'UserKnownHostsFile=/tmp/kh1 /tmp/kh2' -F ~/alt_config`,
      ansible_ssh_extra_args: '-o ServerAliveInterval=5',
    }));
    expect(c.sshArgs).toEqual({
      common: ['-o', 'ProxyJump=ops@bastion:2222,inner', '-o', 'UserKnownHostsFile=/tmp/kh1 /tmp/kh2', '-F', '~/alt_config'],
      extra: ['-o', 'ServerAliveInterval=5'],
    });
    expect(connectionVars(host({ ansible_ssh_args: '' })).sshArgs).toEqual({ args: [] });
  });

  it('ansible_host_key_checking=false is off (Ansible then passes -o StrictHostKeyChecking=no first); true leaves it to ssh', () => {
    expect(connectionVars(host({ ansible_host_key_checking: false })).hostKeyChecking).toBe('off');
    expect(connectionVars(host({ ansible_host_key_checking: 'True' })).hostKeyChecking).toBeUndefined();
    expect(connectionVars(host({ ansible_timeout: '7' })).timeoutSec).toBe(7);
    expect(() => connectionVars(host({ ansible_timeout: 'soon' }))).toThrow(/ansible_timeout must be a number of seconds/);
  });

  it('resolves plain {{ var }} references and refuses richer Jinja', () => {
    const c = connectionVars(host({ bastion: 'gw.example.com', ansible_host: '{{ inventory_hostname }}.lan', ansible_ssh_common_args: '-o ProxyJump={{ bastion }}' }));
    expect(c.address).toBe('web1.lan');
    expect(c.sshArgs.common).toEqual(['-o', 'ProxyJump=gw.example.com']);
    expect(() => connectionVars(host({ ansible_password: "{{ lookup('env', 'PW') }}" }))).toThrow(/cannot evaluate/);
  });

  it('rejects a bad port or boolean with the host named', () => {
    expect(() => connectionVars(host({ ansible_port: 'ssh' }))).toThrow(InventoryError);
    expect(() => connectionVars(host({ ansible_port: 70000 }))).toThrow(/host web1: ansible_port must be a number 1-65535, got "70000"/);
    expect(() => connectionVars(host({ ansible_become: 'maybe' }))).toThrow(/ansible_become must be a boolean/);
  });

  it('follows {{ }} chains and refuses loops and undefined names', () => {
    expect(connectionVars(host({ a: '{{ b }}', b: 'gw', ansible_ssh_common_args: '-J {{ a }}' })).sshArgs.common).toEqual(['-J', 'gw']);
    expect(() => connectionVars(host({ a: '{{ a }}', ansible_host: '{{ a }}' }))).toThrow(/loop/);
    expect(() => connectionVars(host({ ansible_host: '{{ nope }}' }))).toThrow(/refers to \{\{ nope \}\}, which is not defined for this host/);
  });

  it('refuses unbalanced quotes in ssh args with the fix', () => {
    expect(() => connectionVars(host({ ansible_ssh_common_args: '-o ProxyCommand="ssh -W' }))).toThrow(/ansible_ssh_common_args: unterminated double quote.*Fix: balance the quotes/);
  });
});
