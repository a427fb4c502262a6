import { describe, expect, it } from 'vitest';
import { analyzeFleet } from '../../../src/detect/analyze-fleet.js';
import { CLEAN, SCENARIOS, catalogue, facts } from '../rules/fixtures.js';

// Rules + pivot on a big fleet (pure code). How long it takes is measured by `npm run bench`, not here.
describe('scale', () => {
  it('300 hosts: every infected fixture keeps its findings, clean hosts stay clean', { timeout: 120_000 }, () => {
    const names = [...SCENARIOS, ...CLEAN, 'pivot-only'];
    const fleet = Array.from({ length: 300 }, (_, i) => {
      const f = facts(names[i % names.length]!);
      f.host = `h${i}`;
      return f;
    });
    const { findings } = analyzeFleet(fleet, { catalogue });
    expect(findings.size).toBe(300);
    expect(findings.get('h7')).toEqual([]); // a clean host stays clean at scale
    for (let i = 0; i < 300; i++) expect((findings.get(`h${i}`) ?? []).length > 0, `h${i} ${names[i % names.length]}`).toBe(!(CLEAN as readonly string[]).includes(names[i % names.length]!));
  });
});
