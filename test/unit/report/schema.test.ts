import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/core/paths.js';
import { buildReportModel } from '../../../src/report/model.js';
import { REPORT_SCHEMA } from '../../../src/report/types.js';
import { hardenRun, hostileRun } from '../../fixtures/runs/hostile-run.js';
import { syntheticFleet } from '../../fixtures/runs/synthetic-fleet.js';
import { validateRunRecord } from '../../../src/report/validate-run.js';
import { renderHtml } from '../../../src/report/render.js';

// report.json matches its documented schema (a small JSON Schema subset checker: type, const,
// enum, required, properties, additional properties forbidden, items, oneOf, $ref).

type S = Record<string, unknown>;
const schema = JSON.parse(readFileSync(path.join(packageRoot, 'src/report/report.schema.json'), 'utf8')) as S;

function check(v: unknown, s: S, at: string, errors: string[]): void {
  if (s.$ref) return check(v, (schema.$defs as S)[(s.$ref as string).split('/').pop()!] as S, at, errors);
  if (s.oneOf) {
    const ok = (s.oneOf as S[]).filter((o) => {
      const e: string[] = [];
      check(v, o, at, e);
      return e.length === 0;
    });
    if (ok.length !== 1) errors.push(`${at}: matches ${ok.length} of oneOf`);
    return;
  }
  if ('const' in s && v !== s.const) errors.push(`${at}: expected ${String(s.const)}`);
  if (s.enum && !(s.enum as unknown[]).includes(v)) errors.push(`${at}: ${JSON.stringify(v)} not in enum`);
  if (s.type) {
    const types = ([] as string[]).concat(s.type as string);
    const t = v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) errors.push(`${at}: expected ${types.join('|')}, got ${t}`);
  }
  if (Array.isArray(v) && s.items) v.forEach((x, i) => check(x, s.items as S, `${at}[${i}]`, errors));
  if (v && typeof v === 'object' && !Array.isArray(v) && s.properties) {
    const props = s.properties as Record<string, S>;
    for (const r of (s.required as string[]) ?? []) if (!(r in v)) errors.push(`${at}: missing ${r}`);
    for (const [k, x] of Object.entries(v)) {
      if (!props[k]) errors.push(`${at}: undocumented field ${k}`);
      else check(x, props[k], `${at}.${k}`, errors);
    }
  }
}

describe('report.schema.json', () => {
  it('documents the current schema version', () => {
    expect(schema.$id).toBe(REPORT_SCHEMA);
  });
  it('the checker notices an undocumented or missing field', () => {
    const errors: string[] = [];
    const m = JSON.parse(JSON.stringify(buildReportModel(hostileRun())));
    delete m.summary.cleaned;
    m.hosts[0].secretThing = 1;
    check(m, schema, '$', errors);
    expect(errors).toEqual(['$.summary: missing cleaned', '$.hosts[0]: undocumented field secretThing']);
  });
  for (const [name, run] of [
    ['hostile remediate run', hostileRun()],
    ['harden run', hardenRun()],
    ['synthetic 200-host run', syntheticFleet(200)],
  ] as const) {
    it(`describes every field of report.json (${name})`, () => {
      const errors: string[] = [];
      check(JSON.parse(JSON.stringify(buildReportModel(run))), schema, '$', errors);
      expect(errors.slice(0, 10)).toEqual([]);
    });
  }
});

// Recorded run records: drop a lab run's run.json into test/fixtures/runs/<name>/run.json and it
// is checked here too (model, schema, render).
const RECORDED = path.join(packageRoot, 'test/fixtures/runs');
const recorded = readdirSync(RECORDED).filter((d) => existsSync(path.join(RECORDED, d, 'run.json')));
describe.runIf(recorded.length > 0)('recorded run records', () => {
  for (const d of recorded)
    it(`${d}: builds, matches the schema, renders`, () => {
      const file = path.join(RECORDED, d, 'run.json');
      const m = buildReportModel(validateRunRecord(JSON.parse(readFileSync(file, 'utf8')), file));
      const errors: string[] = [];
      check(JSON.parse(JSON.stringify(m)), schema, '$', errors);
      expect(errors.slice(0, 10)).toEqual([]);
      expect(renderHtml(m)).toContain(`data-figure="hostsSwept">${m.summary.hostsSwept}<`);
    });
});
