import { describe, expect, it } from 'vitest';
import { planRedis } from '../../../src/harden/redis.js';
import type { RedisFact } from '../../../src/facts/types.js';
import { emptyFacts } from '../remediate/facts-fixture.js';

const open: RedisFact = { pid: 300, user: 'root', listen: ['0.0.0.0:6380'], configPath: '/etc/redis/redis-6380.conf', bind: ['0.0.0.0'], protectedMode: 'no', requirepassSet: false, unauthenticated: true, version: '7.0.15' };

describe('planRedis', () => {
  const facts = emptyFacts({
    redis: [open],
    sockets: [{ proto: 'tcp', state: 'ESTAB', localAddress: '127.0.0.1', localPort: 41000, remoteAddress: '127.0.0.1', remotePort: 6380, pid: 900, process: 'java' }],
  });
  const [p] = planRedis(facts, {}, () => 's3cr3t-PW', '/q');

  it('keeps the password off the command line and masked, names the clients', () => {
    const step = p!.steps[0]!;
    expect(step.command).not.toContain('s3cr3t-PW');
    expect(step.description).not.toContain('s3cr3t-PW');
    expect(String(step.stdin)).toContain('s3cr3t-PW');
    expect(step.mask).toContain('s3cr3t-PW');
    expect(p!.clients).toEqual(['java (pid 900) on web1']);
    expect(step.description).toContain('java (pid 900)');
  });

  it('binds loopback, protected mode, disables dangerous commands, drops root, checks both ways', () => {
    const c = p!.steps[0]!.command;
    for (const s of ['protected-mode yes', 'rename-command CONFIG ""', 'rename-command FLUSHALL', 'runuser -u "$RUNAS"', '*NOAUTH*', 'bind %s']) expect(c).toContain(s);
    expect(c).toContain("RUNAS=redis");
  });

  it('does nothing to an instance already hardened', () => {
    const done: RedisFact = { ...open, user: 'redis', bind: ['127.0.0.1'], protectedMode: 'yes', requirepassSet: true, unauthenticated: false };
    const [q] = planRedis(emptyFacts({ redis: [done] }), {}, () => { throw new Error('no password needed'); }, '/q');
    expect(q!.steps).toEqual([]);
  });
});
