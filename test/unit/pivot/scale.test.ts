import { describe, expect, it } from 'vitest';
import { analyzeFleet } from '../../../src/rules/analyze-fleet.js';
import { CLEAN, SCENARIOS, catalogue, facts } from '../rules/fixtures.js';

// Rules + pivot stay cheap on a big fleet (pure code; the SSH side is measured on the lab).
describe('scale', () => {
  it('300 hosts analyse in well under the time SSH takes (generous bound: shared CI machines)', { timeout: 120_000 }, () => {
    const names = [...SCENARIOS, ...CLEAN, 'pivot-only'];
    const fleet = Array.from({ length: 300 }, (_, i) => {
      const f = facts(names[i % names.length]!);
      f.host = `h${i}`;
      return f;
    });
    const t0 = performance.now();
    const { findings } = analyzeFleet(fleet, { catalogue });
    const ms = performance.now() - t0;
    expect(findings.size).toBe(300);
    expect(findings.get('h7')).toEqual([]); // a clean host stays clean at scale
    expect(ms).toBeLessThan(60_000);
  });
});
