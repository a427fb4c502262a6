import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HostKeyStore } from '../../../src/transport/host-key.js';
import type { Endpoint } from '../../../src/transport/target.js';

const fixtures = path.resolve(__dirname, '../../fixtures/transport');
const blob = (name: string): Buffer => Buffer.from(readFileSync(path.join(fixtures, name), 'utf8').split(' ')[1]!, 'base64');
const A = blob('hostkey_a.pub');
const B = blob('hostkey_b.pub');

function endpoint(file: string, policy: Endpoint['hostKeyChecking'], host = '198.18.1.5', port = 22, extra: Partial<Endpoint> = {}): Endpoint {
  return {
    label: 'h05', alias: host, host, port, user: 'root', identityFiles: [], identitiesOnly: false, knownHostsFiles: [file], hashKnownHosts: false, hostKeyChecking: policy,
    connectTimeoutMs: 1000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3, algorithms: {}, passwordAuthentication: true, pubkeyAuthentication: true, jumps: [], ...extra,
  };
}

describe('host key policies', () => {
  it('HostKeyAlias is the name looked up and pinned (without the port, as ssh); HashKnownHosts pins hashed', () => {
    const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'ms-kh-')), 'known_hosts');
    writeFileSync(f, `fleet-alias ssh-ed25519 ${A.toString('base64')}\n`);
    const store = new HostKeyStore(() => undefined);
    expect(store.check(endpoint(f, 'strict', '10.9.9.9', 2200, { hostKeyAlias: 'fleet-alias' }), A)).toBeNull();
    expect(store.check(endpoint(f, 'strict', '10.9.9.9', 2200, { hostKeyAlias: 'fleet-alias' }), B)).toMatch(/HOST KEY CHANGED .*ssh-keygen -R 'fleet-alias'/);
    expect(store.check(endpoint(f, 'strict', '10.9.9.9', 2200), A)).toMatch(/unknown/);
    const g = path.join(mkdtempSync(path.join(os.tmpdir(), 'ms-kh-')), 'known_hosts');
    expect(new HostKeyStore(() => undefined).check(endpoint(g, 'accept-new', '10.1.1.1', 22, { hashKnownHosts: true, hostKeyAlias: 'pinned-alias' }), B)).toBeNull();
    const line = readFileSync(g, 'utf8');
    expect(line).toMatch(/^\|1\|[^|]+\|[^ ]+ ssh-ed25519 /);
    expect(line).not.toContain('pinned-alias');
    expect(new HostKeyStore(() => undefined).check(endpoint(g, 'strict', '10.7.7.7', 22, { hostKeyAlias: 'pinned-alias' }), B)).toBeNull();
  });
  it('strict refuses an unknown host and says how to add it', () => {
    const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'ms-kh-')), 'known_hosts');
    const store = new HostKeyStore(() => undefined);
    expect(store.check(endpoint(f, 'strict'), A)).toMatch(/unknown .*strict.*ssh-keyscan -p 22 198\.18\.1\.5 >> /);
  });
  it('accept-new pins once (on a new line even if the file lacks a final newline), then refuses a changed key', () => {
    const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'ms-kh-')), 'known_hosts');
    writeFileSync(f, '10.0.0.1 ssh-ed25519 AAAA');
    const notes: string[] = [];
    const store = new HostKeyStore((m) => notes.push(m));
    expect(store.check(endpoint(f, 'accept-new', '198.18.1.5', 2222), A)).toBeNull();
    expect(readFileSync(f, 'utf8').split('\n')[1]).toBe(`[198.18.1.5]:2222 ssh-ed25519 ${A.toString('base64')}`);
    expect(notes[0]).toMatch(/pinned new host key for h05/);
    expect(store.check(endpoint(f, 'accept-new', '198.18.1.5', 2222), A)).toBeNull();
    const refused = new HostKeyStore(() => undefined).check(endpoint(f, 'accept-new', '198.18.1.5', 2222), B);
    expect(refused).toMatch(/HOST KEY CHANGED .* ssh-keygen -R '\[198\.18\.1\.5\]:2222' -f /);
  });
  it('off accepts anything with one warning per run', () => {
    const notes: string[] = [];
    const store = new HostKeyStore((m) => notes.push(m));
    expect(store.check(endpoint('/nonexistent/kh', 'off'), A)).toBeNull();
    expect(store.check(endpoint('/nonexistent/kh', 'off', '198.18.1.6'), B)).toBeNull();
    expect(notes).toEqual([expect.stringMatching(/host key checking is OFF/)]);
  });
});
