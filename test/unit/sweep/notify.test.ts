import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskedUrl } from '../../../src/core/mask.js';
import type { RunRecord } from '../../../src/run/types.js';
import { notifyPayload, parseNotifyUrl, sendNotification } from '../../../src/sweep/notify.js';
import { maskScheduledArgv } from '../../../src/commands/baseline-options.js';

// The notifier against a real HTTP server on 127.0.0.1.

const run = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/runs/sweep-recorded-facts/run.json'), 'utf8')) as RunRecord;
const got: Array<{ req: IncomingMessage; body: string }> = [];
let answers: number[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    got.push({ req, body });
    const status = answers.shift() ?? 204;
    if (status === 0) return; // never answers
    res.statusCode = status;
    res.end();
  });
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('sendNotification', () => {
  it('POSTs the payload as JSON with Basic auth from the userinfo; nothing shown holds the secrets', async () => {
    got.length = 0;
    const url = parseNotifyUrl(`http://user:s%40cret@127.0.0.1:${port}/hook?token=tok123`) as URL;
    const rec = await sendNotification(url, notifyPayload(run));
    expect(rec.sent).toBe(true);
    expect(rec.attempts).toBe(1);
    const { req, body } = got[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hook?token=tok123');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('user:s@cret').toString('base64')}`);
    const p = JSON.parse(body);
    expect(p.schema).toBe('minesweep.notify/1');
    expect(p.baseline).toBeNull();
    expect(p.findings.length).toBe(run.hosts.reduce((n, h) => n + h.findings.length, 0));
    const shown = JSON.stringify(rec);
    for (const s of ['s%40cret', 's@cret', 'tok123', 'user']) expect(shown).not.toContain(s);
    expect(rec.url).toBe(`http://********@127.0.0.1:${port}/hook?token=********`);
  });

  it('retries once on 500, not on 404; a server that never answers times out (masked error)', async () => {
    const url = parseNotifyUrl(`http://127.0.0.1:${port}/h?k=secretv`) as URL;
    answers = [500, 200];
    expect(await sendNotification(url, notifyPayload(run), { retryDelayMs: 10 })).toMatchObject({ sent: true, attempts: 2, status: 200 });
    answers = [404];
    expect(await sendNotification(url, notifyPayload(run), { retryDelayMs: 10 })).toMatchObject({ sent: false, attempts: 1, status: 404, error: 'HTTP 404' });
    answers = [0, 0];
    const slow = await sendNotification(url, notifyPayload(run), { timeoutMs: 300, retryDelayMs: 10 });
    expect(slow).toMatchObject({ sent: false, attempts: 2 });
    expect(JSON.stringify(slow)).not.toContain('secretv');
  });

  it('http and https only; argv masked', () => {
    expect(parseNotifyUrl('ftp://x/')).toMatch(/only http and https/);
    expect(maskScheduledArgv(['sweep', '--notify', 'https://a:b@h/x?t=1', '--notify=http://u:p@h/'])).toEqual(['sweep', '--notify', 'https://********@h/x?t=********', '--notify=http://********@h/']);
    expect(maskedUrl(new URL('https://h/p?bare'))).toBe('https://h/p?********');
  });
});
