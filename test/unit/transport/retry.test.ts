import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../../src/transport/connect.js';
import { DEFAULT_CONNECT_RETRIES } from '../../../src/transport/types.js';
import { HandshakeGates } from '../../../src/transport/handshake-gate.js';

// Retries of transient refusals: full-jitter exponential backoff, bounded; and the gate that
// makes many names aimed at one sshd queue for its handshakes once it has refused one.
// (The real thing, sshd with MaxStartups 1 and 30 names, is e2e 08-faults.)

describe('backoff', () => {
  it('is a random time in [0, min(cap, base·2^(n-1))]', () => {
    expect(backoffMs(1, 500, 8000, () => 1)).toBe(500);
    expect(backoffMs(2, 500, 8000, () => 1)).toBe(1000);
    expect(backoffMs(5, 500, 8000, () => 1)).toBe(8000);
    expect(backoffMs(9, 500, 8000, () => 1)).toBe(8000);
    expect(backoffMs(4, 500, 8000, () => 0)).toBe(0);
    expect(backoffMs(3, 500, 8000, () => 0.5)).toBe(1000);
  });
  it('the default number of retries waits at most about a minute in total', () => {
    let worst = 0;
    for (let n = 1; n <= DEFAULT_CONNECT_RETRIES; n++) worst += backoffMs(n, undefined, undefined, () => 1);
    expect(worst).toBeLessThanOrEqual(60_000);
  });
});

describe('handshake gates', () => {
  it('unlimited until a refusal, then one at a time, in order, after a pause', async () => {
    const g = new HandshakeGates();
    const a = await g.acquire('h:22');
    const b = await g.acquire('h:22'); // no refusal yet: both at once
    a();
    b();
    g.refused('h:22');
    expect(g.limitOf('h:22')).toBe(1);
    expect(g.limitOf('other:22')).toBe(Infinity);
    const order: string[] = [];
    const t0 = Date.now();
    const first = g.acquire('h:22').then((r) => (order.push('first'), r));
    const second = g.acquire('h:22').then((r) => (order.push('second'), r));
    const r1 = await first;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200); // the pause after a refusal
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['first']); // the second waits for the first's release
    r1();
    (await second)();
    expect(order).toEqual(['first', 'second']);
  });
  it('a waiter whose deadline passes leaves the queue', async () => {
    const g = new HandshakeGates();
    g.refused('h:22');
    const held = await g.acquire('h:22');
    const ac = new AbortController();
    const waiting = g.acquire('h:22', ac.signal);
    ac.abort('the host deadline passed');
    await expect(waiting).rejects.toThrow(/the host deadline passed/);
    held();
    (await g.acquire('h:22'))();
  });
});
