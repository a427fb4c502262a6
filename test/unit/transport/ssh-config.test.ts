import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { builtinSource } from '../../../src/transport/env.js';
import { parseJumpSpec, type ConfigSource } from '../../../src/transport/ssh-config.js';
import { buildTarget, connectionOf, type ResolveEnv } from '../../../src/transport/target.js';
import { matchList } from '../../../src/transport/ssh-config.js';
import type { FleetOptions } from '../../../src/transport/types.js';

// The built-in resolver on in-memory config files (the comparison with the real `ssh -G`
// is ssh-g.test.ts): Host/Match/Include evaluation, first value wins, tokens, the hop chain,
// refusals named, and the Ansible order of the ssh arguments.

const local = { home: '/home/me', localUser: 'me', uid: 1000, localHost: 'ctl.example.net', env: { HOME: '/home/me', KEYS: '/keys' } };

function source(files: Record<string, string>): ConfigSource {
  return {
    read: (p) => files[p],
    glob: (pattern) => Object.keys(files).filter((f) => path.dirname(f) === path.dirname(pattern) && matchList(path.basename(pattern), path.basename(f), false)).sort(),
  };
}

const USER = `
# global before any Host
ConnectTimeout 7
Host bastion
  HostName 203.0.113.10
  User jump
  Port 2200
  IdentityFile ~/.ssh/jump_key
Host inner
  HostName 10.9.0.1
  ProxyJump bastion
Host web* !web-legacy
  User deploy
  IdentityFile ~/.ssh/web_%r_%h_%p
  ProxyJump inner
  StrictHostKeyChecking accept-new
Host web-legacy
  User=root
  ProxyJump none
Match originalhost app-* user !admin,*
  Port 2022
  Include conf.d/*.conf
Host "db-*"
  HostName %h.internal
  UserKnownHostsFile ~/.ssh/kh_%h /etc/kh_db
  HostKeyAlias db-alias
Host cmd-*
  ProxyCommand nc -X 5 -x proxy:1080 %h %p
Host exec-*
  HostName x
Match originalhost exec-* exec "test -f /nope"
  User never
Host cert
  CertificateFile ~/.ssh/id_ed25519-cert.pub
Host kex
  KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256
  Ciphers -aes128-*
Host nokex
  KexAlgorithms sntrup761x25519-sha512@openssh.com
Host fdpass
  ProxyUseFdpass yes
Host agent
  IdentityAgent ~/agent.%r
  IdentitiesOnly yes
  IdentityFile \${KEYS}/%u_%C
Host final-*
  HostName %h.final.example
Match final host *.final.example
  Port 2299
Host *
  User fallback
  IdentityFile ~/.ssh/id_default
`;
const files = {
  '/home/me/.ssh/config': USER,
  '/home/me/.ssh/conf.d/a.conf': 'Host app-2\n  User included\nHost *\n  IdentityFile ~/.ssh/app_key\n',
  '/home/me/.ssh/conf.d/b.txt': 'User never\n',
  '/etc/ssh/ssh_config': 'Host *\n  SendEnv LANG LC_*\n  GSSAPIAuthentication yes\n  User system-would-lose\n',
  '/tmp/alt.conf': 'Host *\n  User from-dash-F\n',
};
const env = (opts: Partial<FleetOptions> = {}): ResolveEnv => ({ local, source: builtinSource(local, source(files)), opts: { forks: 5, ...opts } });
const host = (name: string, vars: Record<string, unknown> = {}) => ({ name, groups: ['all'], vars });
const resolve = async (name: string, vars: Record<string, unknown> = {}, opts: Partial<FleetOptions> = {}) => {
  const e = env(opts);
  return connectionOf(await buildTarget(host(name, vars), e), e.opts);
};

describe('built-in ssh config resolver', () => {
  it('first value wins per directive, IdentityFile accumulates, tokens expand (%r %h %p), the system file comes last', async () => {
    const c = await resolve('web01');
    expect(c).toMatchObject({ address: 'web01', user: 'deploy', port: 22, connectTimeoutSec: 7, hostKeyChecking: 'accept-new' });
    expect(c['identityFiles']).toEqual(['/home/me/.ssh/web_deploy_web01_22', '/home/me/.ssh/id_default']);
  });
  it('ProxyJump: the hop resolved with its own config, its own ProxyJump followed (two hops), its user the local default', async () => {
    const c = await resolve('web01');
    expect((c['jumps'] as Array<Record<string, unknown>>).map((j) => [j['user'], j['address'], j['port'], j['identityFiles']])).toEqual([
      ['jump', '203.0.113.10', 2200, ['/home/me/.ssh/jump_key', '/home/me/.ssh/id_default']],
      ['fallback', '10.9.0.1', 22, ['/home/me/.ssh/id_default']],
    ]);
    // a hop with no User anywhere gets the local user, not the target's ansible_user
    const e = { ...env(), source: builtinSource(local, source({ '/home/me/.ssh/config': 'Host t\n  ProxyJump j1,j2:2201\n' })) };
    const t = connectionOf(await buildTarget(host('t', { ansible_user: 'root' }), e), e.opts);
    expect((t['jumps'] as Array<Record<string, unknown>>).map((j) => `${j['user']}@${j['address']}:${j['port']}`)).toEqual(['me@j1:22', 'me@j2:2201']);
    expect(t['user']).toBe('root');
  });
  it('negated patterns, Key=Value, ProxyJump none; Match originalhost/user and a conditional Include', async () => {
    expect(await resolve('web-legacy')).toMatchObject({ user: 'root', jumps: [] });
    const app = await resolve('app-2');
    expect(app).toMatchObject({ port: 2022, user: 'included' });
    expect(app['identityFiles']).toEqual(['/home/me/.ssh/app_key', '/home/me/.ssh/id_default']);
    // Match user !admin: with ansible_user admin the block (and its Include) does not apply
    const admin = await resolve('app-2', { ansible_user: 'admin' });
    expect(admin).toMatchObject({ port: 22, user: 'admin' });
  });
  it('HostName %h, several known_hosts files with tokens (%h = HostName), HostKeyAlias', async () => {
    const c = await resolve('db-7');
    expect(c).toMatchObject({ address: 'db-7.internal', hostKeyAlias: 'db-alias' });
    expect(c['knownHostsFiles']).toEqual(['/home/me/.ssh/kh_db-7.internal', '/etc/kh_db', '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);
  });
  it('ProxyCommand: tokens expanded, every value shell-quoted', async () => {
    expect((await resolve('cmd-1'))['proxyCommand']).toBe('nc -X 5 -x proxy:1080 cmd-1 22');
    const hostile = await resolve('evil', { ansible_host: "cmd-$(touch /tmp/pwn)'", ansible_port: 2200 });
    expect(hostile['proxyCommand']).toBe(`nc -X 5 -x proxy:1080 'cmd-$(touch /tmp/pwn)'\\''' 2200`);
  });
  it('IdentityAgent and IdentityFile with ${ENV}, %u and %C', async () => {
    const c = await resolve('agent');
    expect(c['identityAgent']).toBe('/home/me/agent.fallback');
    expect(c['identitiesOnly']).toBe(true);
    // %C = sha1(%l%h%p%r)
    expect((c['identityFiles'] as string[])[0]).toBe(`/keys/me_${(await import('node:crypto')).createHash('sha1').update('ctl.example.netagent22fallback').digest('hex')}`);
  });
  it('Match final re-reads the files with the final host name', async () => {
    expect(await resolve('final-1')).toMatchObject({ address: 'final-1.final.example', port: 2299 });
  });
  it('algorithm lists: what ssh2 implements, in order; none left is refused by name', async () => {
    expect((await resolve('kex'))['algorithms']).toMatchObject({ kex: ['curve25519-sha256'] });
    expect(((await resolve('kex'))['algorithms'] as { cipher: string[] }).cipher).not.toContain('aes128-ctr');
    await expect(resolve('nokex')).rejects.toThrow(/kexalgorithms sntrup761x25519-sha512@openssh.com: none of these is implemented by ssh2/);
  });
  it('refuses what it cannot honour, naming the host and the directive', async () => {
    await expect(resolve('exec-1')).rejects.toThrow(/host exec-1: .*config:\d+: Match exec "test -f \/nope" is not evaluated/);
    await expect(resolve('cert')).rejects.toThrow(/host cert \(cert\): CertificateFile \/home\/me\/.ssh\/id_ed25519-cert.pub: ssh2 .* cannot present OpenSSH user certificates/);
    await expect(resolve('fdpass')).rejects.toThrow(/proxyusefdpass yes: a ProxyCommand that passes a descriptor is not supported/);
    await expect(resolve('x', { ansible_ssh_common_args: '-o Frobnicate=yes' })).rejects.toThrow(/frobnicate yes: not a directive minesweep knows/);
    await expect(resolve('x', { ansible_ssh_common_args: '-W host:22' })).rejects.toThrow(/-W: forwards stdio instead of running commands/);
    await expect(resolve('l', { ansible_connection: 'local' })).rejects.toThrow(/host l: ansible_connection=local is not supported/);
  });
  it('ssh args in Ansible order: ansible_user beats -o User in the common args; -F there replaces the default files; -o ServerAliveInterval honoured', async () => {
    expect((await resolve('x', { ansible_user: 'u1', ansible_ssh_common_args: '-o User=u2' }))['user']).toBe('u1');
    expect((await resolve('x', { ansible_ssh_common_args: '-o User=u2' }))['user']).toBe('u2');
    expect((await resolve('x', { ansible_ssh_common_args: '-F /tmp/alt.conf -o ServerAliveInterval=5' }))).toMatchObject({ user: 'from-dash-F', keepaliveIntervalSec: 5 });
    // the CLI -F is the default; a host's own -F wins; Ansible's -u is below ansible_user
    expect((await resolve('x', {}, { sshConfigFile: '/tmp/alt.conf' }))['user']).toBe('from-dash-F');
    expect((await resolve('x', {}, { ansible: { remoteUser: 'cli-u' } }))['user']).toBe('cli-u');
    expect((await resolve('x', { ansible_user: 'var' }, { ansible: { remoteUser: 'cli-u' } }))['user']).toBe('var');
    await expect(resolve('x', { ansible_ssh_common_args: '-F /tmp/missing.conf' })).rejects.toThrow(/cannot read the ssh config file \/tmp\/missing.conf/);
  });
  it('--host-key-checking, --known-hosts and --connect-timeout override every hop', async () => {
    const c = await resolve('web01', {}, { hostKeyChecking: 'off', knownHostsFile: '/tmp/kh', connectTimeoutMs: 3000 });
    expect(c).toMatchObject({ hostKeyChecking: 'off', knownHostsFiles: ['/tmp/kh'], connectTimeoutSec: 3 });
    expect((c['jumps'] as Array<Record<string, unknown>>).every((j) => j['hostKeyChecking'] === 'off')).toBe(true);
    expect((await resolve('x', { ansible_host_key_checking: false }))['hostKeyChecking']).toBe('off');
  });
});

describe('ProxyJump hops', () => {
  it('parses user@host:port, bare hosts and IPv6', () => {
    expect(parseJumpSpec('root@198.18.1.2:2222')).toEqual({ user: 'root', host: '198.18.1.2', port: 2222 });
    expect(parseJumpSpec('bastion')).toEqual({ host: 'bastion' });
    expect(parseJumpSpec('ops@[2001:db8::1]:22')).toEqual({ user: 'ops', host: '2001:db8::1', port: 22 });
  });
});
