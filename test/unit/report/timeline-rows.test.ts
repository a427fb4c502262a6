import { describe, expect, it } from 'vitest';
import { timelineRows } from '../../../src/report/timeline-rows.js';
import type { TimelineEvent } from '../../../src/report/types.js';

const ev = (iso: string, kind: TimelineEvent['kind'], text: string, host?: string): TimelineEvent => ({ at: Date.parse(iso), iso, kind, text, ...(host ? { host } : {}) });

describe('timelineRows', () => {
  it('merges the same event on many hosts within a minute, keeps first traces per host', () => {
    const rows = timelineRows([
      ev('2026-11-20T07:00:00.000Z', 'first-evidence', 'first trace: x', 'a'),
      ev('2026-11-20T07:00:00.000Z', 'first-evidence', 'first trace: x', 'b'),
      ev('2026-11-23T08:08:01.000Z', 'verification', 'checked again: clean', 'a'),
      ev('2026-11-23T08:08:40.000Z', 'verification', 'checked again: clean', 'b'),
      ev('2026-11-23T08:08:50.000Z', 'verification', 'checked again: infection came back (1 finding)', 'c'),
      ev('2026-11-23T08:09:00.000Z', 'verification', 'checked again: clean', 'd'),
    ]);
    expect(rows.map((r) => [r.kind, r.hosts])).toEqual([
      ['first-evidence', ['a']],
      ['first-evidence', ['b']],
      ['verification', ['a', 'b']],
      ['verification', ['c']],
      ['verification', ['d']],
    ]);
  });
});
