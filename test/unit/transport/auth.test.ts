import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { authPlan, connectOptions } from '../../../src/transport/auth.js';
import type { Endpoint } from '../../../src/transport/target.js';

// What a connection offers, from the resolved settings: agent (IdentityAgent, IdentitiesOnly),
// identity files in order, password; PreferredAuthentications; algorithms to ssh2.

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/transport');
const ep = (extra: Partial<Endpoint> = {}): Endpoint => ({
  label: 'h', alias: 'h', host: '10.0.0.1', port: 22, user: 'root', identityFiles: [path.join(fixtures, 'id_ed25519'), path.join(fixtures, 'missing_key')],
  identitiesOnly: false, knownHostsFiles: [], hashKnownHosts: false, hostKeyChecking: 'strict', connectTimeoutMs: 1000, keepaliveIntervalMs: 1000,
  keepaliveCountMax: 3, algorithms: {}, passwordAuthentication: true, pubkeyAuthentication: true, jumps: [], ...extra,
});

describe('authentication plan', () => {
  it('agent first, then the identity files that exist, then the password', () => {
    const p = authPlan(ep({ agent: '/tmp/agent.sock', password: 'pw' }));
    expect(p.methods.map((m) => m.type)).toEqual(['agent', 'publickey', 'password']);
    expect(p.tried).toEqual(['ssh-agent', `key ${path.join(fixtures, 'id_ed25519')}`, 'password']);
  });
  it('IdentitiesOnly: the agent offers only keys matching the identity files', () => {
    const p = authPlan(ep({ agent: '/tmp/agent.sock', identitiesOnly: true }));
    const agent = p.methods[0] as { type: string; agent: unknown };
    expect(agent.type).toBe('agent');
    expect(typeof agent.agent).toBe('object');
    expect(p.tried[0]).toBe('ssh-agent (identity files only)');
  });
  it('PreferredAuthentications orders the methods; PasswordAuthentication no drops the password', () => {
    expect(authPlan(ep({ password: 'pw', preferredAuthentications: ['password', 'publickey'] })).methods.map((m) => m.type)).toEqual(['password', 'publickey']);
    expect(authPlan(ep({ password: 'pw', passwordAuthentication: false })).methods.map((m) => m.type)).toEqual(['publickey']);
    expect(authPlan(ep({ agent: '/tmp/a', pubkeyAuthentication: false, identityFiles: [] })).methods).toEqual([]);
  });
  it('algorithms: configured lists go to ssh2, host key types known from known_hosts stay first among the configured ones', () => {
    const o = connectOptions(ep({ algorithms: { kex: ['curve25519-sha256'], serverHostKey: ['rsa-sha2-512', 'ssh-ed25519'], compress: ['zlib@openssh.com', 'zlib', 'none'] }, addressFamily: 'inet', bindAddress: '127.0.0.2' }), ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512']);
    expect(o).toMatchObject({ algorithms: { kex: ['curve25519-sha256'], serverHostKey: ['ssh-ed25519', 'rsa-sha2-512'], compress: ['zlib@openssh.com', 'zlib', 'none'] }, forceIPv4: true, localAddress: '127.0.0.2' });
    expect(connectOptions(ep(), [])).toEqual({});
  });
});
