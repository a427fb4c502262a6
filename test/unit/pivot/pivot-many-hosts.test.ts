import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostFacts } from '../../../src/facts/types.js';
import { analyzeFleet } from '../../../src/detect/analyze-fleet.js';
import { PIVOT_HOSTS_KEPT } from '../../../src/evidence/ioc-findings.js';
import { buildReportModel } from '../../../src/report/model.js';
import { newHostRun, newRunRecord } from '../../../src/run/new-record.js';
import { catalogue } from '../rules/fixtures.js';

// The pivot host of the recorded lab, in a fleet where the host carrying its indicator is
// copied 40 times: each pivot finding names the first PIVOT_HOSTS_KEPT other hosts and counts
// the rest (its size does not grow with the fleet), and the report says "and N more".

const dir = path.resolve(import.meta.dirname, '../../fixtures/facts/lab');
const scenarios = JSON.parse(readFileSync(path.join(dir, 'scenarios.json'), 'utf8')) as Record<string, { host: string }>;
const recorded = (s: string) => JSON.parse(gunzipSync(readFileSync(path.join(dir, `${s}.json.gz`))).toString('utf8')) as HostFacts;
const CONTROLLER = 'SHA256:PE+pHSB8HDH/okAkmZCIXDPR9jlrnu+1WYPLYaAGsmY';

describe('pivot findings in a large fleet', () => {
  const fleet = Object.keys(scenarios).map(recorded);
  const pivotHost = scenarios['pivot']!.host;
  const carriers = new Set(analyzeFleet(fleet, { catalogue, trustedKeys: [CONTROLLER] }).findings.get(pivotHost)!.flatMap((f) => f.pivot!.seenOn));
  const copies = fleet.filter((f) => carriers.has(f.host)).flatMap((f) => Array.from({ length: 40 }, (_, i) => ({ ...f, host: `${f.host}-copy${String(i).padStart(2, '0')}` })));
  const { findings } = analyzeFleet([...fleet, ...copies], { catalogue, trustedKeys: [CONTROLLER] });
  const pivots = findings.get(pivotHost)!;

  it('names at most PIVOT_HOSTS_KEPT other hosts and counts them all', () => {
    expect(carriers.size).toBeGreaterThan(0);
    expect(pivots.length).toBeGreaterThan(0);
    for (const f of pivots) {
      expect(f.pivot!.seenOn.length).toBe(PIVOT_HOSTS_KEPT);
      expect(f.pivot!.seenOn).not.toContain(pivotHost);
      expect(f.pivot!.seenOnCount).toBeGreaterThanOrEqual(41);
      expect(f.title).toMatch(new RegExp(`\\(seen on [^,()]+, [^,()]+, [^,()]+ and ${f.pivot!.seenOnCount! - 3} more\\)`));
    }
  });

  it('the report model keeps the first hosts and says how many more', () => {
    const hosts = [...findings].map(([name, fs]) => newHostRun({ name, address: name, port: 22, groups: [] }, 'ok', fs));
    const model = buildReportModel(newRunRecord({ id: 'r', command: 'sweep', argv: [], apply: false, startedAt: '2026-12-03T00:00:00Z', inventory: [], hosts }));
    const shown = JSON.stringify(model).match(/"pivot":\{[^}]*\}/g) ?? [];
    expect(shown.length).toBeGreaterThan(0);
    for (const p of shown) expect(JSON.parse(`{${p}}`).pivot).toMatchObject({ seenOn: expect.any(Array), more: expect.any(Number) });
  });
});
