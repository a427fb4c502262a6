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

  it('parses ansible_ssh_common_args: ProxyJump, known hosts files, strict checking', () => {
    const c = connectionVars(host({
      ansible_ssh_common_args: `-o ProxyJump=ops@bastion:2222,inner -o 'UserKnownHostsFile=/tmp/kh1 /tmp/kh2' -o StrictHostKeyChecking=accept-new -o ConnectTimeout=5`,
    }));
    expect(c.proxyJump).toEqual(['ops@bastion:2222', 'inner']);
    expect(c.knownHostsFiles).toEqual(['/tmp/kh1', '/tmp/kh2']);
    expect(c.hostKeyChecking).toBe('accept-new');
    expect(c.sshOptions['connecttimeout']).toBe('5');
  });

  it('reads -J and the ssh -W ProxyCommand idiom', () => {
    expect(connectionVars(host({ ansible_ssh_common_args: '-J jump1,jump2' })).proxyJump).toEqual(['jump1', 'jump2']);
    const c = connectionVars(host({ ansible_ssh_common_args: `-o ProxyCommand="ssh -W %h:%p -q -p 2200 ops@bastion.example.com"` }));
    expect(c.proxyJump).toEqual(['ops@bastion.example.com:2200']);
    expect(c.proxyCommand).toBeUndefined();
    const nc = connectionVars(host({ ansible_ssh_common_args: `-o ProxyCommand="nc -X 5 -x proxy:1080 %h %p"` }));
    expect(nc.proxyJump).toBeUndefined();
    expect(nc.proxyCommand).toBe('nc -X 5 -x proxy:1080 %h %p');
  });

  it('ansible_host_key_checking=false wins over a StrictHostKeyChecking in the args', () => {
    expect(connectionVars(host({ ansible_host_key_checking: false, ansible_ssh_common_args: '-o StrictHostKeyChecking=yes' })).hostKeyChecking).toBe('off');
    expect(connectionVars(host({ ansible_host_key_checking: true, ansible_ssh_common_args: '-o StrictHostKeyChecking=no' })).hostKeyChecking).toBe('off');
    expect(connectionVars(host({ ansible_host_key_checking: 'True' })).hostKeyChecking).toBe('strict');
  });

  it('resolves plain {{ var }} references and refuses richer Jinja', () => {
    const c = connectionVars(host({ bastion: 'gw.example.com', ansible_host: '{{ inventory_hostname }}.lan', ansible_ssh_common_args: '-o ProxyJump={{ bastion }}' }));
    expect(c.address).toBe('web1.lan');
    expect(c.proxyJump).toEqual(['gw.example.com']);
    expect(() => connectionVars(host({ ansible_password: "{{ lookup('env', 'PW') }}" }))).toThrow(/cannot evaluate/);
  });

  it('rejects a bad port or boolean with the host named', () => {
    expect(() => connectionVars(host({ ansible_port: 'ssh' }))).toThrow(InventoryError);
    expect(() => connectionVars(host({ ansible_port: 70000 }))).toThrow(/host web1: ansible_port must be a number 1-65535, got "70000"/);
    expect(() => connectionVars(host({ ansible_become: 'maybe' }))).toThrow(/ansible_become must be a boolean/);
  });

  it('reads -o in every spelling, keeps the first value like OpenSSH, common args before extra args', () => {
    const c = connectionVars(host({
      ansible_ssh_common_args: '-oProxyJump=first -o "UserKnownHostsFile /k1"',
      ansible_ssh_extra_args: '-o ProxyJump=second -o StrictHostKeyChecking=no -p 2022 -l bob',
    }));
    expect(c.proxyJump).toEqual(['first']);
    expect(c.knownHostsFiles).toEqual(['/k1']);
    expect(c.hostKeyChecking).toBe('off');
    expect(c).toMatchObject({ port: 2022, user: 'bob' });
    expect(connectionVars(host({ ansible_ssh_common_args: '-o ProxyJump=none' })).proxyJump).toBeUndefined();
    expect(connectionVars(host({ ansible_port: 2200, ansible_ssh_common_args: '-p 2022' })).port).toBe(2200);
  });

  it('follows {{ }} chains and refuses loops and undefined names', () => {
    expect(connectionVars(host({ a: '{{ b }}', b: 'gw', ansible_ssh_common_args: '-J {{ a }}' })).proxyJump).toEqual(['gw']);
    expect(() => connectionVars(host({ a: '{{ a }}', ansible_host: '{{ a }}' }))).toThrow(/loop/);
    expect(() => connectionVars(host({ ansible_host: '{{ nope }}' }))).toThrow(/refers to \{\{ nope \}\}, which is not defined for this host/);
  });

  it('refuses unbalanced quotes in ssh args with the fix', () => {
    expect(() => connectionVars(host({ ansible_ssh_common_args: '-o ProxyCommand="ssh -W' }))).toThrow(/ansible_ssh_common_args: unterminated double quote.*Fix: balance the quotes/);
  });
});
