import { describe, expect, it } from 'vitest';
import { buildTarget, endpointFor, type ResolveEnv } from '../../../src/transport/target.js';
import { parseSshConfig } from '../../../src/transport/ssh-config.js';
import type { InventoryHost } from '../../../src/inventory/types.js';

const sshConfig = parseSshConfig(`
Host web1
  HostName 10.0.0.11
  User cfguser
  Port 2201
  IdentityFile ~/.ssh/web_key
Host 10.0.0.12
  User cfguser
  ProxyJump cfgjump
Host bastion
  HostName 203.0.113.5
  User jumper
  IdentityFile ~/.ssh/jump_key
`);
const env = (opts = {}): ResolveEnv => ({ sshConfig, ctx: { home: '/home/me', localUser: 'me' }, opts: { forks: 5, ...opts } });
const host = (name: string, vars: Record<string, unknown> = {}): InventoryHost => ({ name, groups: ['all', 'web'], vars });

describe('Target from inventory + ~/.ssh/config', () => {
  it('ssh config fills what the inventory does not say (matched on the inventory name)', () => {
    const t = buildTarget(host('web1'), env());
    expect(t).toMatchObject({ address: '10.0.0.11', port: 2201, user: 'cfguser', hostKeyChecking: 'strict', become: false, becomeUser: 'root' });
    expect(endpointFor(t, env()).identityFiles).toEqual(['/home/me/.ssh/web_key']);
  });
  it('inventory variables win over ssh config', () => {
    const t = buildTarget(host('web1', { ansible_user: 'deploy', ansible_port: 22, ansible_ssh_private_key_file: '~/k' }), env());
    expect(t).toMatchObject({ user: 'deploy', port: 22, privateKeyFile: '/home/me/k' });
  });
  it('ansible_host is what ssh config is matched on; defaults are port 22 and the local user', () => {
    const t = buildTarget(host('app', { ansible_host: '10.0.0.12' }), env());
    expect(t).toMatchObject({ address: '10.0.0.12', user: 'cfguser', port: 22, proxyJump: ['cfgjump'] });
    expect(buildTarget(host('10.9.9.9'), env())).toMatchObject({ user: 'me', port: 22 });
  });
  it('ProxyJump from ssh args; the jump host gets its own ssh config, else the inner host user/keys', () => {
    const t = buildTarget(host('hidden', { ansible_host: '198.18.101.5', ansible_user: 'root', ansible_ssh_private_key_file: '/lab/key', ansible_ssh_common_args: '-o ProxyJump=bastion,root@198.18.1.3:2222' }), env());
    const ep = endpointFor(t, env());
    expect(ep.jumps.map((j) => [j.user, j.host, j.port])).toEqual([['jumper', '203.0.113.5', 22], ['root', '198.18.1.3', 2222]]);
    expect(ep.jumps[0]!.identityFiles).toEqual(['/home/me/.ssh/jump_key', '/lab/key']);
    expect(ep.jumps[1]!.identityFiles).toEqual(['/lab/key']);
  });
  it('--host-key-checking and --known-hosts override everything', () => {
    const t = buildTarget(host('web1', { ansible_host_key_checking: false }), env({ hostKeyChecking: 'accept-new', knownHostsFile: '/tmp/kh' }));
    expect(t.hostKeyChecking).toBe('accept-new');
    expect(endpointFor(t, env()).knownHostsFiles).toEqual(['/tmp/kh']);
    expect(buildTarget(host('web1', { ansible_host_key_checking: false }), env()).hostKeyChecking).toBe('off');
    // the run's options still win when the Target was built with other ones
    const built = buildTarget(host('web1'), env());
    const ep = endpointFor(built, env({ hostKeyChecking: 'off', knownHostsFile: '/tmp/run-kh', connectTimeoutMs: 1234 }));
    expect([ep.hostKeyChecking, ep.knownHostsFiles, ep.connectTimeoutMs]).toEqual(['off', ['/tmp/run-kh'], 1234]);
  });
  it('refuses what it cannot honour, naming the host and the fix', () => {
    expect(() => buildTarget(host('l', { ansible_connection: 'local' }), env())).toThrow(/host l: ansible_connection=local is not supported/);
    expect(() => buildTarget(host('p', { ansible_ssh_common_args: "-o ProxyCommand='nc %h %p'" }), env())).toThrow(/ProxyCommand .* use ProxyJump/);
  });
});
