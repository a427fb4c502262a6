import { describe, expect, it } from 'vitest';
import { familyBars } from '../../../src/report/charts/family-bars.js';
import { fleetBar, groupBars } from '../../../src/report/charts/state-bars.js';
import { niceTicks, timelineChart } from '../../../src/report/charts/timeline-chart.js';
import { buildReportModel, stateCounts } from '../../../src/report/model.js';
import { hostileRun } from '../../fixtures/runs/hostile-run.js';

const m = buildReportModel(hostileRun());
const hostile = '<script>alert(1)</script>"\'&\u001b[2J';

describe('SVG charts', () => {
  it('escape every label that came from a host', () => {
    const svgs = [
      groupBars([{ group: hostile, counts: stateCounts([{ state: 'infected' }, { state: 'clean' }, { state: 'clean' }]), total: 3 }]).markup,
      familyBars([{ id: hostile, hosts: 1, findings: 2 }]).markup,
      timelineChart({ ...m, summary: { ...m.summary, families: [{ id: hostile, hosts: 1, findings: 1 }] }, timeline: [{ at: Date.parse('2026-11-22T00:00:00Z'), iso: '2026-11-22T00:00:00.000Z', kind: 'first-evidence', host: hostile, family: hostile, text: hostile }] }).markup,
    ];
    for (const svg of svgs) {
      expect(svg).not.toContain('<script');
      expect(svg).not.toContain('\u001b');
      expect(svg).toContain('&lt;script&gt;');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    }
  });

  it('draw the fleet bar in proportion and label it for screen readers', () => {
    const svg = fleetBar(m.summary).markup;
    expect(svg).toContain('aria-label="Fleet: 1 reinfected, 2 cleaned, 1 unreachable, 2 clean"');
    expect((svg.match(/<rect /g) ?? []).length).toBe(4);
  });

  it('cap the number of groups and say how many are left out', () => {
    const groups = Array.from({ length: 20 }, (_, i) => ({ group: `g${i}`, counts: stateCounts([{ state: 'clean' }]), total: 1 }));
    expect(groupBars(groups).markup).toContain('and 6 more groups');
  });

  it('put timeline ticks on round UTC steps', () => {
    const t = niceTicks(Date.parse('2026-11-20T07:00:00Z'), Date.parse('2026-11-23T08:08:00Z'));
    expect(t.at.map((x) => t.label(x))).toEqual(['11-20 12:00', '11-21 00:00', '11-21 12:00', '11-22 00:00', '11-22 12:00', '11-23 00:00']);
  });
});
