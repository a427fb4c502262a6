import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/run/types.js';
import { stixBundle, stixPattern, uuidv5 } from '../../../src/report/stix.js';

// iocs --format stix: the STIX 2.1 bundle of a recorded run, its structure asserted (the
// official JSON schemas check it in stix-schema.test.ts).

const root = path.resolve(import.meta.dirname, '../../..');
const record = JSON.parse(readFileSync(path.join(root, 'test/fixtures/runs/sweep-recorded-facts/run.json'), 'utf8')) as RunRecord;
const ID = /^[a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('STIX 2.1 export', () => {
  it('uuidv5 matches RFC 4122 (DNS namespace, www.example.com)', () => {
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('a bundle: identity, one malware per family, an indicator per IOC, indicates relationships; stable ids', () => {
    const b = stixBundle(record.iocs, record.startedAt, record.id);
    expect(b).toEqual(stixBundle(record.iocs, record.startedAt, record.id));
    const of = (t: string) => b.objects.filter((o) => o['type'] === t);
    expect(of('identity')).toHaveLength(1);
    const families = new Set(record.iocs.flatMap((i) => (i.family ? [i.family] : [])));
    expect(of('malware').map((m) => m['name'])).toEqual([...families].sort());
    expect(of('malware').every((m) => m['is_family'] === true)).toBe(true);
    const exported = record.iocs.filter((i) => stixPattern(i) !== null);
    expect(of('indicator')).toHaveLength(exported.length);
    for (const o of b.objects) {
      expect(o['id']).toMatch(ID);
      expect(o['spec_version']).toBe('2.1');
    }
    for (const i of of('indicator')) expect(i).toMatchObject({ pattern_type: 'stix', valid_from: record.startedAt });
    const ids = new Set(b.objects.map((o) => o['id']));
    for (const r of of('relationship')) {
      expect(r['relationship_type']).toBe('indicates');
      expect(ids.has(r['source_ref'])).toBe(true);
      expect(ids.has(r['target_ref'])).toBe(true);
    }
    expect(of('relationship')).toHaveLength(exported.filter((i) => i.family).length);
  });

  it('patterns per IOC type, with backslash and quote escaped', () => {
    expect(stixPattern({ type: 'ip', value: '203.0.113.7' })).toBe("[ipv4-addr:value = '203.0.113.7']");
    expect(stixPattern({ type: 'ip', value: '2001:db8::1' })).toBe("[ipv6-addr:value = '2001:db8::1']");
    expect(stixPattern({ type: 'sha256', value: 'AB'.repeat(32) })).toBe(`[file:hashes.'SHA-256' = '${'ab'.repeat(32)}']`);
    expect(stixPattern({ type: 'path', value: "/tmp/.x/it's\\me" })).toBe("[file:name = 'it\\'s\\\\me' AND file:parent_directory_ref.path = '/tmp/.x']");
    expect(stixPattern({ type: 'port', value: '3333' })).toBe("[network-traffic:dst_port = 3333 AND network-traffic:protocols[*] = 'tcp']");
    expect(stixPattern({ type: 'process-name', value: 'kdevtmpfsi' })).toBe("[process:image_ref.name = 'kdevtmpfsi']");
    expect(stixPattern({ type: 'key-fingerprint', value: 'SHA256:x' })).toBeNull();
  });
});
