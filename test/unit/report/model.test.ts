import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../../src/report/model.js';
import { findingEvidence } from '../../../src/report/evidence-table.js';
import { hardenRun, hostileRun, HOSTILE_PATH, SECRET } from '../../fixtures/runs/hostile-run.js';
import { syntheticFleet } from '../../fixtures/runs/synthetic-fleet.js';

describe('buildReportModel on the hostile-name lab run', () => {
  const m = buildReportModel(hostileRun());

  it('counts hosts the way a manager reads them', () => {
    expect(m.summary).toMatchObject({ hostsSwept: 6, infected: 3, cleaned: 2, stillInfected: 1, unreachable: 1, notChecked: 0, clean: 2 });
    expect(m.summary.headline).toBe('2 of 6 servers were cleaned and verified. 1 is still infected (1 came back after cleaning). 1 server could not be reached.');
    expect(m.summary.verdicts).toMatchObject({ reinfected: 1, cleaned: 2, unreachable: 1, clean: 2, infected: 0 });
    expect(m.summary.open).toBe(1);
  });

  it('orders hosts: open (reinfected first), cleaned (worst first), unreachable, clean', () => {
    expect(m.hosts.map((h) => [h.name, h.state])).toEqual([
      ['ddg-app02', 'reinfected'],
      ['hostile-app03', 'cleaned'],
      ['redis-web01', 'cleaned'],
      ['down-db06', 'unreachable'],
      ['busy-db05', 'clean'],
      ['clean-web04', 'clean'],
    ]);
  });

  it('finds the families, the earliest evidence and the way in', () => {
    expect(m.summary.families.map((f) => [f.id, f.hosts])).toEqual([
      ['ddg', 1],
      ['kinsing', 1],
      ['minerd', 1],
    ]);
    expect(m.summary.firstEvidence).toMatchObject({ host: 'redis-web01', iso: '2026-11-20T07:00:00.000Z' });
    expect(m.summary.firstEvidence!.what).toContain('/var/spool/cron/crontabs/root');
    const kinds = m.summary.entryPoints.map((e) => [e.kind, e.hosts]);
    expect(kinds).toContainEqual(['redis-open', ['redis-web01']]);
    expect(kinds).toContainEqual(['datastore-open-to-world', ['redis-web01']]);
    expect(kinds).toContainEqual(['planted-key', ['hostile-app03']]);
    expect(m.summary.entryPoints.find((e) => e.kind === 'redis-open')!.text).toContain('0.0.0.0:6380');
  });

  it('says what was done and what remains in plain sentences', () => {
    expect(m.summary.done.join(' ')).toMatch(/Removed the malware on 3 servers.*moved 2 files to quarantine/);
    expect(m.summary.done.join(' ')).toContain('2 cleaned servers were checked again later and stayed clean');
    expect(m.summary.done.join(' ')).toContain('Some actions failed on 1 server: ddg-app02');
    expect(m.summary.remains.join(' ')).toContain('came back after cleaning on 1 server: ddg-app02');
    expect(m.summary.remains.join(' ')).toContain('1 server could not be reached');
    expect(m.summary.remains.join(' ')).toMatch(/Close the way in on 2 servers/);
  });

  it("leaves out Ansible's `all` group, which every host is in", () => {
    expect(m.hosts.find((h) => h.name === 'redis-web01')!.groups).toEqual(['web', 'redis']);
    expect(m.byGroup.map((g) => g.group)).not.toContain('all');
  });

  it('keeps host text byte-exact in the model (escaping is the renderer’s job)', () => {
    const h = m.hosts.find((x) => x.name === 'hostile-app03')!;
    expect(findingEvidence(h, h.findings[0]!)[1]!.path).toBe(HOSTILE_PATH);
    expect(m.iocs.find((i) => i.type === 'path')!.value).toBe(HOSTILE_PATH);
  });

  it('builds an IOC table with the hosts each indicator was seen on, catalogue entries too', () => {
    expect(m.iocs.find((i) => i.value === '203.0.113.7')).toMatchObject({ type: 'ip', family: 'ddg', hosts: ['ddg-app02'] });
    expect(m.iocs.find((i) => i.value === 'pool.minerd.example')).toMatchObject({ source: 'catalogue', hosts: ['redis-web01'] });
    expect(m.iocs[0]!.type).toBe('ip');
  });

  it('has a timeline from first traces to verification', () => {
    const kinds = m.timeline.map((e) => e.kind);
    expect(kinds[0]).toBe('first-evidence');
    expect(kinds).toContain('run');
    expect(kinds).toContain('quarantine');
    expect(m.timeline.filter((e) => e.kind === 'verification').map((e) => e.host)).toEqual(['redis-web01', 'ddg-app02', 'hostile-app03']);
    expect(m.timeline.map((e) => e.at)).toEqual([...m.timeline.map((e) => e.at)].sort((a, b) => a - b));
  });

  it('tallies every step across the fleet', () => {
    expect(m.changes.find((t) => t.task === 'persistence')).toMatchObject({ play: 'remediate', changed: 3, failed: 0, hardening: null });
    expect(m.changes.find((t) => t.task === 'remove ddg watchdog')).toMatchObject({ changed: 0, failed: 1 });
  });

  it('recommends closing the holes nothing closed yet', () => {
    const areas = m.hardening.recommended.map((r) => [r.area, r.hosts]);
    expect(areas).toContainEqual(['redis', ['redis-web01']]);
    expect(areas).toContainEqual(['ssh', ['hostile-app03']]);
    expect(m.hardening.applied).toEqual([]);
  });

  it('never carries a secret, whatever field or string it hid in', () => {
    const json = JSON.stringify(m);
    expect(json.includes(SECRET)).toBe(false);
    expect(json).not.toMatch(/"requirepass"|redisPassword|"secrets"/);
    expect(json).toContain('password=********');
  });

  it('is pure: the same record gives the same model', () => {
    expect(buildReportModel(hostileRun())).toEqual(m);
  });
});

describe('buildReportModel on a harden run', () => {
  const run = hardenRun();
  run.hosts[2]!.status = 'failed'; // its ssh hardening failed
  const m = buildReportModel(run);
  it('does not call a host whose hardening failed "not checked"', () => {
    expect(m.hosts.find((h) => h.name === 'hostile-app03')!.state).toBe('clean');
    expect(m.summary.notChecked).toBe(0);
  });
  it('reports hardening per host and area with the worst status', () => {
    expect(m.hardening.applied.filter((r) => r.host === 'redis-web01').map((r) => [r.area, r.status])).toEqual([
      ['firewall', 'changed'],
      ['redis', 'changed'],
      ['ssh', 'changed'],
    ]);
    expect(m.hardening.applied.find((r) => r.host === 'hostile-app03' && r.area === 'ssh')).toMatchObject({ status: 'failed', message: 'sshd -t failed: old file restored' });
    expect(m.hardening.applied.some((r) => r.host === 'down-db06')).toBe(false);
    expect(m.summary.done.join(' ')).toMatch(/Closed the holes: firewall rules on 5 servers, Redis on 5 servers, SSH access on 4 servers/);
  });
});

describe('buildReportModel at scale', () => {
  it('handles 1,000 hosts', () => {
    const run = syntheticFleet(1000);
    const m = buildReportModel(run);
    expect(m.summary.hostsSwept).toBe(1000);
    expect(Object.values(m.summary.verdicts).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(m.summary.infected).toBeGreaterThan(30);
    expect(m.byGroup.length).toBe(10);
  });
});

describe('buildReportModel on a sweep and on a plan', () => {
  it('words a read-only sweep as such', () => {
    const run = { ...hostileRun(), command: 'sweep', apply: false };
    run.hosts = run.hosts.map((h) => ({ ...h, tasks: [], quarantine: [], verification: undefined }));
    const m = buildReportModel(run);
    expect(m.summary.headline).toBe('3 of 6 servers are infected with crypto-mining malware. This was a read-only sweep: nothing has been cleaned yet. 1 server could not be reached.');
    expect(m.summary.remains[0]).toBe('Clean the 3 infected servers (minesweep remediate --apply), then check them again.');
  });

  it('tells apart a host that could not be checked again after cleaning', () => {
    const run = hostileRun();
    run.hosts[2]!.verification = { state: 'unreachable', at: run.finishedAt, findings: [], note: 'timeout' };
    const m = buildReportModel(run);
    expect(m.summary.remains).toContain('1 server could not be reached when checked again after cleaning: hostile-app03. Check it again.');
    expect(m.summary.stillInfected).toBe(2);
  });

  it('does not claim a plan removed anything', () => {
    const m = buildReportModel({ ...hostileRun(), apply: false });
    const done = m.summary.done.join(' ');
    expect(done).toContain('This was a plan only: nothing on the servers was changed.');
    expect(done).toContain('Prepared a clean-up plan for 3 servers');
    expect(done).not.toContain('Removed the malware');
  });
});
