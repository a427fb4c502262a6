import { describe, expect, it } from 'vitest';
import { buildIncidentModel } from '../../../src/incident/model.js';
import { renderIncidentHtml } from '../../../src/incident/render.js';
import type { RunRecord } from '../../../src/run/types.js';
import { hostileRun, SECRET } from '../../fixtures/runs/hostile-run.js';

// One incident from the recorded-shape lab runs: the sweep that found it, the remediation
// (one host came back), and a later sweep; each finding open until a run shows it gone.

const at = (r: RunRecord, id: string, startedAt: string, finishedAt: string): RunRecord => ({ ...r, id, startedAt, finishedAt });

function sweepOf(r: RunRecord): RunRecord {
  return { ...r, command: 'sweep', apply: false, hosts: r.hosts.map((h) => ({ ...h, status: h.status === 'unreachable' ? 'unreachable' : 'ok', tasks: [], quarantine: [], verification: undefined })) };
}

const remediate = at(hostileRun(), 'R2-remediate', '2026-11-23T08:10:00.000Z', '2026-11-23T08:20:00.000Z');
const first = at(sweepOf(hostileRun()), 'R1-sweep', '2026-11-23T08:00:00.000Z', '2026-11-23T08:01:00.000Z');

describe('incident model', () => {
  const m = buildIncidentModel('lab', [remediate, first]);

  it('reads the runs in start order and says what each did', () => {
    expect(m.runs.map((r) => r.id)).toEqual(['R1-sweep', 'R2-remediate']);
    expect(m.runs[0]!.text).toMatch(/^Sweep of 6 servers: /);
    expect(m.runs[1]!.text).toMatch(/^Remediation on 6 servers: 2 cleaned and verified, 1 reinfected/);
  });

  it('marks findings removed by a checked remediation done, and the host that came back open', () => {
    const by = Object.fromEntries(m.hosts.map((h) => [h.name, h.state]));
    expect(by['hostile-app03']).toBe('cleaned');
    expect(by['ddg-app02']).toBe('infected');
    expect(by['down-db06']).toBe('unreachable');
    expect(by['clean-web04']).toBe('clean');
    const done = m.findings.filter((f) => f.host === 'hostile-app03');
    expect(done.length).toBeGreaterThan(0);
    expect(done.every((f) => f.status === 'done' && f.doneBy === 'R2-remediate' && f.firstSeen === 'R1-sweep')).toBe(true);
    expect(m.summary.over).toBe(false);
    expect(m.summary.headline).toMatch(/^Not over: /);
  });

  it('keeps an open door open through remediation, and says who must act', () => {
    const redis = m.findings.filter((f) => f.host === 'redis-web01' && f.rule.startsWith('redis.'));
    expect(redis.length).toBeGreaterThan(0);
    expect(redis.every((f) => f.status === 'open')).toBe(true);
    expect(m.summary.open.join(' ')).toMatch(/Open doors left on .*redis-web01|Still infected/);
  });

  it('a later complete sweep that no longer finds them closes them; one seen again came back', () => {
    const later = sweepOf(hostileRun());
    later.id = 'R3-sweep';
    later.startedAt = '2026-11-24T08:00:00.000Z';
    later.finishedAt = '2026-11-24T08:01:00.000Z';
    const again = later.hosts.find((h) => h.name === 'hostile-app03')!;
    for (const h of later.hosts) if (h !== again) h.findings = [];
    again.findings = again.findings.slice(0, 1);
    const m3 = buildIncidentModel('lab', [first, remediate, later]);
    const back = m3.findings.filter((f) => f.status === 'came-back');
    expect(back.map((f) => [f.host, f.cameBackIn])).toEqual([['hostile-app03', 'R3-sweep']]);
    expect(m3.hosts.find((h) => h.name === 'hostile-app03')!.state).toBe('reinfected');
    expect(m3.hosts.find((h) => h.name === 'redis-web01')!.state).toBe('cleaned');
    const ddg = m3.findings.filter((f) => f.host === 'ddg-app02');
    expect(ddg.every((f) => f.status === 'done')).toBe(true);
    const openAfterR2 = m.findings.filter((f) => f.host === 'ddg-app02' && f.status !== 'done').length;
    expect(openAfterR2).toBeGreaterThan(0);
    expect(ddg.filter((f) => f.doneBy === 'R3-sweep').length).toBe(openAfterR2);
  });

  it('never dates the intrusion from a shared file such as /etc/passwd', () => {
    expect(m.summary.since).not.toBeNull();
    expect(m.summary.since!.what).not.toContain('/etc/passwd');
  });

  it('renders self-contained HTML with host text escaped and no secret', () => {
    const html = renderIncidentHtml(m);
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain(SECRET);
    expect(JSON.stringify(m)).not.toContain(SECRET);
  });
});
