import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostFacts } from '../../../src/facts/types.js';
import { analyzeFleet } from '../../../src/detect/analyze-fleet.js';
import { catalogue } from './fixtures.js';

// Real facts from the lab (recorded by a sweep): every scenario host gets its family, clean
// and clean-but-busy get zero findings, the pivot host is found only through the pivot.

const dir = path.resolve(import.meta.dirname, '../../fixtures/facts/lab');
const scenarios = JSON.parse(readFileSync(path.join(dir, 'scenarios.json'), 'utf8')) as Record<string, { host: string; family: string | null; expectFindings: boolean }>;
const fleet = Object.keys(scenarios).map((s) => JSON.parse(gunzipSync(readFileSync(path.join(dir, `${s}.json.gz`))).toString('utf8')) as HostFacts);
const CONTROLLER = 'SHA256:PE+pHSB8HDH/okAkmZCIXDPR9jlrnu+1WYPLYaAGsmY';
const { findings, errors } = analyzeFleet(fleet, { catalogue, trustedKeys: [CONTROLLER] });

describe('recorded lab facts', () => {
  it('no rule throws', () => expect(errors).toEqual([]));
  for (const [scenario, t] of Object.entries(scenarios))
    it(`${scenario} (${t.host}): ${t.expectFindings ? `family ${t.family}` : 'zero findings'}`, () => {
      const fs = findings.get(t.host)!;
      if (!t.expectFindings) expect(fs.map((f) => `${f.rule}: ${f.title}`)).toEqual([]);
      else {
        expect(fs.length).toBeGreaterThan(0);
        expect(fs.map((f) => f.family)).toContain(t.family);
        // nothing on an infected host is attributed to a family the lab did not plant there
        expect(fs.filter((f) => f.family && f.family !== t.family).map((f) => f.title)).toEqual([]);
      }
    });
  it('the pivot host is found only through the pivot, from the hosts that carry the indicator', () => {
    const fs = findings.get(scenarios['pivot']!.host)!;
    expect(fs.every((f) => f.pivot && f.pivot.seenOn.length > 0)).toBe(true);
  });
  it('the controller key is never reported', () => {
    const keys = [...findings.values()].flat().flatMap((f) => f.artifacts.filter((a) => a.type === 'authorized-key'));
    expect(keys.filter((a) => a.type === 'authorized-key' && a.fingerprint === CONTROLLER)).toEqual([]);
  });
  it('hostile argv and key comment come back byte-exact', () => {
    const texts = findings.get(scenarios['hostile']!.host)!.flatMap((f) => f.evidence.map((e) => e.text));
    // argv is shown as a JSON list (unambiguous word boundaries); key lines verbatim
    expect(texts.some((t) => t.includes(JSON.stringify(`it's "quoted" $(id) \`uname\``)))).toBe(true);
    expect(texts.some((t) => t.includes(JSON.stringify('<script>alert(1)</script>')))).toBe(true);
    expect(texts.some((t) => t.endsWith(` <script>alert(1)</script> "x'y"`))).toBe(true);
  });

  it('a system tool moved aside (ps.original) gives no time: its mtime is the package build, not the attack', () => {
    const host = scenarios['cleanfda']!.host;
    const moved = findings.get(host)!.flatMap((f) => f.evidence).filter((e) => e.path?.endsWith('.original'));
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.filter((e) => e.time !== undefined)).toEqual([]);
  });
});
