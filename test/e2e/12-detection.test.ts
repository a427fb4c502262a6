import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/load.js';
import { loadTargets, readFleetOptions, transportOptions } from '../../src/commands/common.js';
import type { Finding } from '../../src/findings/types.js';
import type { GroundTruth, HostTruth, PlantedArtifact } from '../../src/lab/types.js';
import { sweepFleet, type SweepResult } from '../../src/sweep/sweep-fleet.js';
import { getDetectionLab, labDown, labSkipReason } from '../helpers/lab.js';

// The sweep on the detection lab: ten infections modelled on public write-ups (the field
// scenarios, each citing its sources), three clean production hosts with real Debian services
// and a clean host. Every planted artifact the probe can see is reported with the scenario's
// family; the clean hosts have zero findings and verdict clean. The standard lab is rebuilt by
// the next getLab() (this file brings the shared lab down at the end).

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
let truth: HostTruth[];
let inventory: string;
let sweep: SweepResult;

const namesOf = (a: PlantedArtifact): string[] => {
  const out = [a.path, a.line, a.name, a.comm].filter((v): v is string => typeof v === 'string' && v.length > 0);
  if (a.kind === 'connection' && a.remote) out.push(a.remote);
  return out;
};
const has = (text: string, n: string): boolean => text.includes(JSON.stringify(n).slice(1, -1));
const host = (t: HostTruth) => sweep.record.hosts.find((h) => h.name === t.name)!;

describe.skipIf(labSkipReason())('detection lab', () => {
  beforeAll(async () => {
    const lab = await getDetectionLab();
    truth = (lab.groundTruth as GroundTruth).hosts;
    inventory = lab.inventoryPath;
    const o = readFleetOptions({ inventory: [inventory], forks: '50', connectTimeout: '20', timeout: '240' });
    const fleet = await transportOptions(o);
    const { targets } = await loadTargets(o, 'all', fleet);
    sweep = await sweepFleet(targets, { catalogue: loadCatalogue(), fleet, out: mkdtempSync(path.join(tmpdir(), 'ms-detect-')), keepFacts: true });
  }, 600_000);
  afterAll(async () => labDown(), 120_000);

  it('reaches every host; every probe section finished', () => {
    expect(sweep.record.hosts.filter((h) => h.status !== 'ok').map((h) => `${h.name} ${h.reason}`)).toEqual([]);
    for (const t of truth) expect([t.name, sweep.facts.get(t.name)!.meta.errors]).toEqual([t.name, []]);
  });

  it('clean production hosts and the clean host: zero findings, verdict clean', () => {
    const clean = truth.filter((t) => !t.expectFindings);
    expect(clean.map((t) => t.scenario).sort()).toEqual(['clean', 'prod-app', 'prod-db', 'prod-web']);
    for (const t of clean) expect([t.scenario, host(t).verdict, host(t).findings.map((f: Finding) => `${f.rule}: ${f.title}`)]).toEqual([t.scenario, 'clean', []]);
  });

  it('the production hosts run their real services', () => {
    const comms = (s: string) => sweep.facts.get(truth.find((t) => t.scenario === s)!.name)!.processes.map((p) => p.comm);
    expect(comms('prod-web')).toContain('nginx');
    expect(comms('prod-db')).toContain('postgres');
    expect(comms('prod-app')).toContain('java');
  });

  it('every field scenario: infected, its family, every planted artifact named', () => {
    const field = truth.filter((t) => t.expectFindings);
    expect(field.length).toBe(10);
    for (const t of field) {
      const h = host(t);
      expect([t.scenario, h.verdict, h.findings.map((f: Finding) => f.family)]).toEqual([t.scenario, 'infected', expect.arrayContaining([t.family])]);
      const text = JSON.stringify(h.findings);
      const seen = JSON.stringify(sweep.facts.get(t.name));
      for (const a of t.artifacts.filter((x) => !x.legitimate)) expect([t.scenario, a.kind, namesOf(a).filter((n) => !has(text, n) && has(seen, n))]).toEqual([t.scenario, a.kind, []]);
      expect(t.sources?.length).toBeGreaterThan(0);
    }
  });

  it('legitimate crons, keys, units and services are never targeted', () => {
    for (const t of truth)
      for (const a of t.artifacts.filter((x) => x.legitimate)) {
        const targeted = host(t).findings.flatMap((f: Finding) => f.artifacts).filter((x) => ('line' in x && x.line === a.line) || (x.type === 'process' && a.kind === 'process' && x.exe === a.path));
        expect([t.scenario, a.line ?? a.path, targeted]).toEqual([t.scenario, a.line ?? a.path, []]);
      }
  });

  it('the CLI prints one line per infected host with its verdict and exits 1', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'ms-detect-cli-'));
    const r = await run('node', [path.join(root, 'dist/cli.js'), 'sweep', '-i', inventory, '--out', out, '--timeout', '240'], { maxBuffer: 1 << 26 }).catch((e: { code: number; stdout: string }) => e);
    expect((r as { code?: number }).code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('INFECTED')).length).toBe(10);
    expect(lines.filter((l) => /^(SUSPICIOUS|EXPOSED|INCOMPLETE)/.test(l))).toEqual([]);
    expect(lines.at(-3)).toMatch(/^14 hosts: 10 infected, 4 clean, 0 unreachable, 0 failed; 0 suspicious, 0 exposed, 0 incomplete;/);
  }, 600_000);
});
