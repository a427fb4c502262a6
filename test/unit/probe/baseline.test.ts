import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { HostFacts } from '../../../src/facts/types.js';
import { parseProbeOutput } from '../../../src/probe/parse-output.js';
import { comparable, hashMismatches } from '../../helpers/facts-diff.js';

// The probe before issue 14 (baseline/: its parsed facts) and the probe now (<scenario>.out),
// recorded seconds apart on the same lab hosts by record-lab.sh with BASELINE_BUILD: every
// field the rules read is the same (test/helpers/facts-diff.ts says what is left out and why).
const dir = process.env.MS_PROBE_FIXTURES ?? path.resolve(import.meta.dirname, '../../fixtures/probe');
const SCENARIOS = ['clean', 'clean-busy', 'redis', 'ddg', 'kinsing', 'outlaw', 'cleanfda', 'aliyunduns', 'skidmap', 'hostile', 'pivot'];

describe.each(SCENARIOS)('lab host %s: the same facts as the probe before', (scenario) => {
  const before = JSON.parse(gunzipSync(readFileSync(path.join(dir, 'baseline', `${scenario}.json.gz`))).toString('utf8')) as HostFacts;
  const after = parseProbeOutput(readFileSync(path.join(dir, `${scenario}.out`)), { host: scenario });
  const a = comparable(before, after);
  const b = comparable(after, before);
  for (const key of Object.keys(a)) it(key, () => expect(b[key]).toEqual(a[key]));
  it('files that travel as a hash hash as the old content did', () => expect(hashMismatches(before, after)).toEqual([]));
  it('files that match their package travel as path + stat + sha256, the rest whole', () => {
    const shipped = [...after.cron, ...after.initScripts, ...after.profiles].filter((f) => f.linkTarget === undefined);
    const verified = shipped.filter((f) => f.verified !== undefined);
    expect(verified.length).toBeGreaterThan(0);
    for (const f of verified) expect([f.path, f.content, f.sha256]).toEqual([f.path, '', expect.stringMatching(/^[0-9a-f]{64}$/)]);
    for (const f of shipped.filter((x) => x.verified === undefined && x.size > 0 && !x.truncated)) expect([f.path, f.content.length > 0]).toEqual([f.path, true]);
    // vendor units a package vouches for keep what they run (ExecStart compared above)
    expect(after.units.filter((u) => u.verified !== undefined).length).toBeGreaterThan(after.units.length / 2);
  });
  it('nothing listed is missing: every process, every file', () => {
    expect(after.processes.length).toBeGreaterThanOrEqual(before.processes.length - 3);
    expect(after.units.length).toBe(before.units.length);
  });
});
