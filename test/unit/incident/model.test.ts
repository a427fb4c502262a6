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

  describe('a host lost mid-remediation', () => {
    const LOST = 'connection lost after 6.1 s: no answer to 3 keepalives 2 s apart, during output read';
    const cut = structuredClone(remediate);
    cut.id = 'R2-cut';
    const ddg = cut.hosts.find((h) => h.name === 'ddg-app02')!;
    Object.assign(ddg, { status: 'unreachable', reason: LOST, tasks: ddg.tasks.slice(0, 1), verification: { state: 'unreachable', at: cut.finishedAt, findings: [], note: 'no TCP connection within 5 s' } });
    const mc = buildIncidentModel('lab', [first, cut]);
    const host = (mm: typeof mc, name: string) => mm.hosts.find((h) => h.name === name)!;

    it('the run says it did not clean it; the host keeps its open findings and says which run could not reach it, and why', () => {
      expect(mc.runs[1]!.text).toMatch(/, 2 unreachable \(not cleaned\)$/); // ddg-app02 and down-db06
      expect(mc.runs[1]!.text).not.toMatch(/1 reinfected/);
      expect(host(mc, 'ddg-app02')).toMatchObject({ state: 'infected', lastChecked: 'R1-sweep', unreachable: { run: 'R2-cut', reason: LOST } });
      expect(mc.findings.filter((f) => f.host === 'ddg-app02').every((f) => f.status === 'open')).toBe(true);
      expect(mc.summary.over).toBe(false);
      expect(mc.summary.open.join(' ')).toContain(`ddg-app02 could not be reached by the last run that tried (ddg-app02: R2-cut, ${LOST})`);
      expect(mc.summary.act.join(' ')).toMatch(/Owners of .*ddg-app02.*: make them reachable/);
    });

    it('a host the remediation did not touch (copied from its --from sweep) was last checked by the sweep', () => {
      expect(host(mc, 'busy-db05')).toMatchObject({ state: 'clean', lastChecked: 'R1-sweep' });
      expect(host(mc, 'clean-web04').lastChecked).toBe('R2-cut'); // its check after the respawn window reached it
      expect(host(mc, 'busy-db05').unreachable).toBeUndefined();
    });

    it('reached again, it is done; a cleaned host a later sweep cannot reach keeps the incident from being over', () => {
      const back = at(structuredClone(remediate), 'R3-again', '2026-11-23T09:00:00.000Z', '2026-11-23T09:10:00.000Z');
      const d = back.hosts.find((h) => h.name === 'ddg-app02')!;
      d.verification = { state: 'clean', at: back.finishedAt, findings: [] };
      const sweep = at(sweepOf(hostileRun()), 'R4-sweep', '2026-11-23T10:00:00.000Z', '2026-11-23T10:01:00.000Z');
      for (const h of sweep.hosts) h.findings = [];
      const m4 = buildIncidentModel('lab', [first, cut, back, sweep]);
      expect(host(m4, 'ddg-app02')).toMatchObject({ state: 'cleaned', lastChecked: 'R4-sweep' });
      expect(host(m4, 'ddg-app02').unreachable).toBeUndefined();
      expect(m4.findings.filter((f) => f.host === 'ddg-app02' && f.doneBy === 'R2-cut')).toEqual([]);
      expect(m4.findings.filter((f) => f.host === 'ddg-app02' && f.doneBy === 'R3-again').length).toBeGreaterThan(0);
      // down-db06 was never reached: not over for that alone; so the fleet without it
      const reachable = (r: RunRecord): RunRecord => ({ ...r, hosts: r.hosts.filter((h) => h.name !== 'down-db06') });
      const over = buildIncidentModel('lab', [first, cut, back, sweep].map(reachable));
      expect(over.summary.over).toBe(true);
      const lostAgain = reachable(at(structuredClone(sweep), 'R5-sweep', '2026-11-23T11:00:00.000Z', '2026-11-23T11:01:00.000Z'));
      Object.assign(lostAgain.hosts.find((h) => h.name === 'ddg-app02')!, { status: 'unreachable', reason: 'no TCP connection within 5 s' });
      const m5 = buildIncidentModel('lab', [first, cut, back, sweep, lostAgain].map(reachable));
      expect(host(m5, 'ddg-app02')).toMatchObject({ state: 'cleaned', lastChecked: 'R4-sweep', unreachable: { run: 'R5-sweep' } });
      expect(m5.summary.over).toBe(false);
      expect(m5.summary.headline).toMatch(/^Not over: no finding open, but 1 server not checked since; /);
    });
  });
});
