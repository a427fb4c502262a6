import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { Ioc } from '../../../src/findings/types.js';
import type { RunRecord } from '../../../src/run/types.js';
import { stixBundle, stixPattern, uuidv5 } from '../../../src/report/stix.js';
import { HOSTILE_PATH, hostileRun } from '../../fixtures/runs/hostile-run.js';

// iocs --format stix against the official OASIS STIX 2.1 JSON schemas (vendored in
// test/fixtures/stix2.1-schemas, see its README), every object of the bundle; and every
// indicator's pattern parsed and checked against the cyber-observable schemas it names.

const root = path.resolve(import.meta.dirname, '../../..');
const SCHEMAS = path.join(root, 'test/fixtures/stix2.1-schemas');
const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

// the two formats the vendored schemas use (ajv-formats is not a dependency): RFC 3986 URI
// characters after a scheme, and a host name of 1-63 character labels (non-ASCII allowed: IDN)
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;
const LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;
const hostname = (s: string): boolean => s.length <= 253 && s.replace(/\.$/, '').split('.').every((l) => LABEL.test(l));

// the schemas' patterns are written for non-Unicode regular expressions (`\-` outside a class)
const ajv = new Ajv2020({ allErrors: true, strict: false, unicodeRegExp: false });
ajv.addFormat('uri', URI);
ajv.addFormat('idn-hostname', hostname);
const vendored = readdirSync(SCHEMAS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
for (const f of vendored) ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMAS, f), 'utf8')) as object);
// bundle.json lists every STIX type; those not vendored can match nothing here, so an object of
// a type we do not export fails the bundle instead of passing unchecked
const bundleText = readFileSync(path.join(SCHEMAS, 'common/bundle.json'), 'utf8');
for (const ref of bundleText.matchAll(/"\$ref": "\.\.\/([^"]+)"/g)) {
  if (!vendored.includes(ref[1]!)) ajv.addSchema(false, BASE + ref[1]);
}
const schema = (p: string): ValidateFunction => ajv.getSchema(BASE + p)!;
const observable = (type: string): Record<string, unknown> => {
  const s = JSON.parse(readFileSync(path.join(SCHEMAS, 'observables', `${type}.json`), 'utf8')) as { allOf: Array<{ properties?: Record<string, unknown> }> };
  return s.allOf.find((a) => a.properties)!.properties!;
};

function expectValid(v: ValidateFunction, o: unknown): void {
  expect(v(o), `${JSON.stringify(o).slice(0, 300)}\n${JSON.stringify(v.errors, null, 1)}`).toBe(true);
}

/** Every object against its own type's schema, then the whole bundle against bundle.json. */
function expectValidBundle(b: ReturnType<typeof stixBundle>): void {
  const file: Record<string, string> = { identity: 'sdos/identity.json', malware: 'sdos/malware.json', indicator: 'sdos/indicator.json', relationship: 'sros/relationship.json' };
  for (const o of b.objects) expectValid(schema(file[o['type'] as string]!), o);
  expectValid(schema('common/bundle.json'), b);
  const ids = b.objects.map((o) => o['id']);
  expect(new Set(ids).size, 'ids are unique in the bundle').toBe(ids.length);
  const identity = b.objects.find((o) => o['type'] === 'identity')!['id'];
  for (const o of b.objects) if (o['type'] !== 'identity') expect(o['created_by_ref']).toBe(identity);
  for (const o of b.objects) expect(Date.parse(o['modified'] as string)).toBeGreaterThanOrEqual(Date.parse(o['created'] as string));
}

// STIX 2.1 §9 (patterning), the subset we write: one observation expression of `=` comparisons
// joined by AND; an object path is properties, dictionary keys in quotes, `[*]` for any list
// item, and *_ref hops
const COMPARISON = /^([a-z][a-z0-9-]*):([a-z_][a-z0-9_]*(?:\.(?:[a-z_][a-z0-9_]*|'[^']+')|\[\*\])*) = ('(?:[^'\\]|\\['\\])*'|-?\d+)$/;
// the object type a *_ref points to (spec §6: file.parent_directory_ref, process.image_ref)
const REF_TARGET: Record<string, string> = { 'file.parent_directory_ref': 'directory', 'process.image_ref': 'file' };

/** The cyber-observables a pattern describes, built from its comparisons; throws on what STIX does not define. */
function observed(pattern: string): Array<Record<string, unknown>> {
  expect(pattern).toMatch(/^\[.*\]$/s);
  const objects = new Map<string, Record<string, unknown>>();
  const object = (type: string): Record<string, unknown> => {
    if (!objects.has(type)) objects.set(type, { type, spec_version: '2.1', id: `${type}--${uuidv5(`pattern:${type}`)}` });
    return objects.get(type)!;
  };
  for (const comparison of pattern.slice(1, -1).split(/ AND (?=[a-z][a-z0-9-]*:)/)) {
    const m = COMPARISON.exec(comparison);
    expect(m, `comparison ${JSON.stringify(comparison)}`).not.toBeNull();
    const [, rootType, objectPath, literal] = m!;
    const value = literal!.startsWith("'") ? literal!.slice(1, -1).replace(/\\(['\\])/g, '$1') : Number(literal);
    let type = rootType!;
    const steps = objectPath!.replace(/\[\*\]/g, '.[*]').split('.');
    while (steps.length > 1 && steps[0]!.endsWith('_ref')) {
      const hop = `${type}.${steps.shift()!}`;
      expect(observable(type), hop).toHaveProperty(hop.split('.')[1]!);
      const target = REF_TARGET[hop];
      expect(target, `known ref ${hop}`).toBeDefined();
      object(type)[hop.split('.')[1]!] = object(target!)['id'];
      type = target!;
    }
    expect(Object.keys(observable(type)), `${type} defines ${steps[0]}`).toContain(steps[0]);
    const o = object(type);
    if (steps[1] === '[*]') o[steps[0]!] = [value];
    else if (steps.length === 2) o[steps[0]!] = { [steps[1]!.replace(/^'|'$/g, '')]: value };
    else {
      expect(steps).toHaveLength(1);
      o[steps[0]!] = value;
    }
  }
  return [...objects.values()];
}

/** Each pattern's observables against their schemas: every property it names, with a value of the
 * property's type. A pattern needs not describe a whole object, so what the object as a whole
 * lacks (`required` and the any-of/one-of of required sets, at the object's root) is not asked. */
function expectValidPatterns(b: ReturnType<typeof stixBundle>): void {
  for (const i of b.objects.filter((o) => o['type'] === 'indicator')) {
    for (const o of observed(i['pattern'] as string)) {
      const v = schema(`observables/${o['type'] as string}.json`);
      v(o);
      const errors = (v.errors ?? []).filter((e) => !(e.instancePath === '' && ['required', 'anyOf', 'oneOf'].includes(e.keyword)));
      expect(errors, `${i['pattern'] as string}\n${JSON.stringify(o)}`).toEqual([]);
    }
  }
}

const recorded = ['sweep-recorded-facts', 'lab-remediate-12'].map((d) => JSON.parse(readFileSync(path.join(root, 'test/fixtures/runs', d, 'run.json'), 'utf8')) as RunRecord);

describe('STIX 2.1 export against the OASIS schemas', () => {
  it.each(recorded.map((r) => [r.id, r]))('the bundle of recorded run %s validates, every object and every pattern', (_id, record) => {
    const b = stixBundle(record.iocs, record.startedAt, record.id);
    expect(b.objects.filter((o) => o['type'] === 'indicator').length).toBeGreaterThan(0);
    expectValidBundle(b);
    expectValidPatterns(b);
  });

  it('the hostile-name run validates too (IOC values with markup, quotes, newlines)', () => {
    const r = hostileRun();
    const b = stixBundle([...r.iocs, ...r.hosts.flatMap((h) => h.findings.flatMap((f) => f.iocs ?? []))], r.startedAt, r.id);
    expectValidBundle(b);
    expectValidPatterns(b);
  });

  const one = (i: Ioc) => stixBundle([i], '2026-11-23T10:24:25Z', 'run');
  it.each<[string, Ioc]>([
    ['an ipv6 address', { type: 'ip', value: '2001:db8::1', family: 'ddg' }],
    ['a CIDR block', { type: 'ip', value: '203.0.113.0/24', family: 'ddg' }],
    ['a domain', { type: 'domain', value: 'pool.minexmr.example', family: 'ddg' }],
    ['a stratum URL', { type: 'url', value: 'stratum+tcp://pool.example:3333', family: 'ddg' }],
    ['a URL with a space and a quote', { type: 'url', value: "http://203.0.113.7/a b'.sh", family: 'ddg' }],
    ['an upper-case hash', { type: 'sha256', value: 'AB'.repeat(32), family: 'ddg' }],
    ['a path with quote, backslash and newline', { type: 'path', value: HOSTILE_PATH + '\\x', family: 'ddg' }],
    ['a file at the root', { type: 'path', value: '/x', family: 'ddg' }],
    ['a process name', { type: 'process-name', value: "kdev'tmpfsi", family: 'ddg' }],
    ['a port', { type: 'port', value: '3333', family: 'ddg' }],
    ['an account', { type: 'user', value: 'shaojiang99' }],
  ])('one IOC: %s (a start time without milliseconds)', (_what, i) => {
    const b = one(i);
    expect(b.objects.filter((o) => o['type'] === 'indicator')).toHaveLength(1);
    expectValidBundle(b);
    expectValidPatterns(b);
  });

  it('values STIX cannot hold are left out, not exported invalid', () => {
    for (const i of [{ type: 'port', value: '99999' }, { type: 'port', value: '3333/tcp' }, { type: 'domain', value: 'bad domain' }, { type: 'sha256', value: 'xyz' }] as Ioc[]) {
      expect(stixPattern(i), JSON.stringify(i)).toBeNull();
      expectValidBundle(one(i));
    }
  });

  it('the same IOC under two families is one indicator with two indicates relationships', () => {
    const b = stixBundle([{ type: 'ip', value: '203.0.113.7', family: 'ddg' }, { type: 'ip', value: '203.0.113.7', family: 'kinsing' }], '2026-11-23T10:24:25.000Z', 'run');
    expect(b.objects.filter((o) => o['type'] === 'indicator')).toHaveLength(1);
    expect(b.objects.filter((o) => o['type'] === 'relationship')).toHaveLength(2);
    expectValidBundle(b);
  });

  it('the checks are not vacuous: a made-up property, a port out of range, an unescaped quote and an unexported type fail', () => {
    const with_ = (pattern: string) => ({ ...one({ type: 'user', value: 'x' }), objects: [{ type: 'indicator', pattern }] });
    for (const p of ["[file:nmae = 'x']", '[network-traffic:dst_port = 99999]', "[file:name = 'it's']", "[process:image_ref.nmae = 'x']", "[file:hashes.'SHA-256' = 'ab']"]) {
      expect(() => expectValidPatterns(with_(p)), p).toThrow();
    }
    const b = one({ type: 'user', value: 'x' });
    const tool = { type: 'tool', spec_version: '2.1', id: `tool--${uuidv5('tool')}`, created: b.objects[0]!['created'], modified: b.objects[0]!['created'], name: 'xmrig' };
    expect(schema('common/bundle.json')({ ...b, objects: [...b.objects, tool] })).toBe(false);
  });
});
