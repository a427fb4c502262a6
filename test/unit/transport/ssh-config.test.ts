import { describe, expect, it } from 'vitest';
import { parseJumpSpec, parseSshConfig, resolveSshConfig } from '../../../src/transport/ssh-config.js';

const ctx = { home: '/home/me', localUser: 'me' };
const text = `
# global before any Host
ConnectTimeout 7
Host bastion
  HostName 203.0.113.10
  User jump
  Port 2200
Host web* !web-legacy
  User deploy
  IdentityFile ~/.ssh/web_%r_%h
  ProxyJump bastion
  StrictHostKeyChecking accept-new
Host web-legacy
  User=root
  ProxyJump none
Match host foo exec "true"
  User never
Host "db-*"
  HostName %h.internal
  UserKnownHostsFile ~/.ssh/kh_db /etc/kh_db
Host *
  User fallback
  IdentityFile ~/.ssh/id_default
  Port 22
`;
const blocks = parseSshConfig(text);

describe('ssh config', () => {
  it('first value wins per directive, IdentityFile accumulates, tokens expand', () => {
    const c = resolveSshConfig(blocks, 'web01', ctx);
    expect(c.user).toBe('deploy');
    expect(c.port).toBe(22);
    expect(c.connectTimeoutSec).toBe(7);
    expect(c.proxyJump).toEqual(['bastion']);
    expect(c.strictHostKeyChecking).toBe('accept-new');
    expect(c.identityFiles).toEqual(['/home/me/.ssh/web_deploy_web01', '/home/me/.ssh/id_default']);
  });
  it('negated patterns exclude a host; Key=Value syntax; ProxyJump none', () => {
    const c = resolveSshConfig(blocks, 'web-legacy', ctx);
    expect(c.user).toBe('root');
    expect(c.proxyJump).toEqual([]);
  });
  it('Match blocks other than "all" never apply', () => {
    expect(resolveSshConfig(blocks, 'foo', ctx).user).toBe('fallback');
  });
  it('HostName %h, quoted patterns, several known_hosts files', () => {
    const c = resolveSshConfig(blocks, 'db-7', ctx);
    expect(c.hostName).toBe('db-7.internal');
    expect(c.userKnownHostsFiles).toEqual(['/home/me/.ssh/kh_db', '/etc/kh_db']);
  });
  it('a host matching only Host * gets the defaults', () => {
    const c = resolveSshConfig(blocks, '10.1.1.1', ctx);
    expect(c).toMatchObject({ user: 'fallback', port: 22 });
    expect(c.hostName).toBeUndefined();
  });
});

describe('ProxyJump hops', () => {
  it('parses user@host:port, bare hosts and IPv6', () => {
    expect(parseJumpSpec('root@198.18.1.2:2222')).toEqual({ user: 'root', host: '198.18.1.2', port: 2222 });
    expect(parseJumpSpec('bastion')).toEqual({ host: 'bastion' });
    expect(parseJumpSpec('ops@[2001:db8::1]:22')).toEqual({ user: 'ops', host: '2001:db8::1', port: 22 });
  });
});
