import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  entryMatchesHost,
  fixCommand,
  hostKeyName,
  judgeHostKey,
  knownHostsLine,
  knownKeyTypes,
  matchPatternList,
  parseKnownHosts,
} from '../../../src/transport/known-hosts.js';

const dir = path.resolve(__dirname, '../../fixtures/transport');
const blob = (name: string): Buffer => Buffer.from(readFileSync(path.join(dir, name), 'utf8').split(' ')[1]!, 'base64');
const A = blob('hostkey_a.pub');
const B = blob('hostkey_b.pub');
const R = blob('hostkey_rsa.pub');
const plain = parseKnownHosts(readFileSync(path.join(dir, 'known_hosts_plain'), 'utf8'), 'known_hosts_plain');
const hashed = parseKnownHosts(readFileSync(path.join(dir, 'known_hosts_hashed'), 'utf8'), 'known_hosts_hashed');

describe('known_hosts parsing', () => {
  it('reads plain lines, markers and line numbers, skips comments', () => {
    expect(plain).toHaveLength(6);
    expect(plain[0]).toMatchObject({ hosts: 'web1.example.org,10.0.0.1', keyType: 'ssh-ed25519', line: 2 });
    expect(plain[4]!.marker).toBe('@revoked');
    expect(plain[5]!.marker).toBe('@cert-authority');
  });
  it('names non-22 ports as [host]:port', () => {
    expect(hostKeyName('10.0.0.2', 22)).toBe('10.0.0.2');
    expect(hostKeyName('10.0.0.2', 2222)).toBe('[10.0.0.2]:2222');
  });
});

describe('matching hosts', () => {
  it('comma lists and ports', () => {
    expect(entryMatchesHost(plain[0]!, '10.0.0.1', 22)).toBe(true);
    expect(entryMatchesHost(plain[0]!, 'web1.example.org', 22)).toBe(true);
    expect(entryMatchesHost(plain[0]!, '10.0.0.1', 2222)).toBe(false);
    expect(entryMatchesHost(plain[1]!, '10.0.0.2', 2222)).toBe(true);
    expect(entryMatchesHost(plain[1]!, '10.0.0.2', 22)).toBe(false);
  });
  it('wildcards and negation', () => {
    expect(entryMatchesHost(plain[2]!, 'db.lab.test', 22)).toBe(true);
    expect(entryMatchesHost(plain[2]!, 'evil.lab.test', 22)).toBe(false);
    expect(matchPatternList(['10.0.0.?'], '10.0.0.7')).toBe(true);
    expect(matchPatternList(['10.0.0.?'], '10.0.0.17')).toBe(false);
  });
  it('hashed |1|salt|hash entries written by ssh-keygen -H', () => {
    expect(entryMatchesHost(hashed[0]!, '10.0.0.3', 22)).toBe(true);
    expect(entryMatchesHost(hashed[0]!, '10.0.0.4', 22)).toBe(false);
    expect(entryMatchesHost(hashed[1]!, '10.0.0.4', 2200)).toBe(true);
    expect(entryMatchesHost(hashed[1]!, '10.0.0.4', 22)).toBe(false);
  });
});

describe('judging a presented key', () => {
  it('known, unknown, changed, revoked', () => {
    expect(judgeHostKey(plain, '10.0.0.1', 22, A).kind).toBe('known');
    expect(judgeHostKey(hashed, '10.0.0.3', 22, A).kind).toBe('known');
    expect(judgeHostKey(plain, '10.9.9.9', 22, A).kind).toBe('unknown');
    const changed = judgeHostKey(plain, '10.0.0.1', 22, B);
    expect(changed.kind).toBe('changed');
    if (changed.kind === 'changed') expect(changed.entries[0]!.line).toBe(2);
    expect(judgeHostKey(hashed, '10.0.0.4', 2200, A).kind).toBe('changed');
    expect(judgeHostKey(plain, '10.0.0.9', 22, R).kind).toBe('revoked');
  });
  it('@cert-authority lines never authenticate a plain key', () => {
    expect(judgeHostKey(plain, 'x.ca.test', 22, B).kind).toBe('unknown');
  });
  it('lists the key types known for a host (offered first in the handshake)', () => {
    expect(knownKeyTypes(plain, '10.0.0.9', 22)).toEqual(['ssh-rsa']);
  });
  it('a 10,000-line known_hosts (plain, mixed-case, patterns, negations, hashed) gives what matching every line gives', () => {
    const text = readFileSync(path.join(dir, 'known_hosts_plain'), 'utf8') + readFileSync(path.join(dir, 'known_hosts_hashed'), 'utf8');
    const a = `ssh-ed25519 ${A.toString('base64')}`;
    const lines = [text.trim()];
    for (let i = 0; i < 10_000; i++) lines.push(`${i % 7 === 0 ? `H${i}.Fleet.test` : `h${i}.fleet.test`},10.1.${i >> 8}.${i & 255} ${a}`);
    lines.push(`*.fleet.test,!h5.fleet.test ${a}`, `[h6.fleet.test]:2222 ${a}`);
    const big = parseKnownHosts(lines.join('\n') + '\n', 'big');
    const brute = (host: string, port: number) => big.filter((e) => !e.marker && entryMatchesHost(e, host, port));
    for (const [host, port] of [['h7.fleet.test', 22], ['h5.fleet.test', 22], ['h6.fleet.test', 2222], ['10.1.3.4', 22], ['10.0.0.1', 22], ['10.0.0.3', 22], ['10.0.0.4', 2200], ['h9999.fleet.test', 22], ['nowhere', 22], ['10.0.0.9', 22]] as const) {
      const want = brute(host, port);
      expect(knownKeyTypes(big, host, port)).toEqual([...new Set(want.map((e) => e.keyType))]);
      for (const key of [A, B, R]) {
        const v = judgeHostKey(big, host, port, key);
        const b64 = key.toString('base64');
        const revoked = big.some((e) => e.marker === '@revoked' && e.key === b64);
        expect(v.kind).toBe(revoked ? 'revoked' : want.some((e) => e.key === b64) ? 'known' : want.length ? 'changed' : 'unknown');
        if (v.kind === 'changed') expect(v.entries).toEqual(want);
      }
    }
  });
});

describe('pinning and the fix', () => {
  it('a pinned line (plain or hashed) is found again', () => {
    for (const h of [false, true]) {
      const entries = parseKnownHosts(knownHostsLine('198.18.1.5', 2222, A, h) + '\n', 'f');
      expect(judgeHostKey(entries, '198.18.1.5', 2222, A).kind).toBe('known');
      expect(judgeHostKey(entries, '198.18.1.5', 22, A).kind).toBe('unknown');
    }
  });
  it('prints the exact ssh-keygen -R command', () => {
    expect(fixCommand('198.18.1.5', 2222, '/root/.ssh/known_hosts')).toBe("ssh-keygen -R '[198.18.1.5]:2222' -f '/root/.ssh/known_hosts'");
  });
});
