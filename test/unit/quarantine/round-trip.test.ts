import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, statSync, existsSync, symlinkSync, readlinkSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeLossless, encodeLossless } from '../../../src/core/bytes.js';
import { planQuarantine } from '../../../src/quarantine/plan.js';
import { planRollback } from '../../../src/quarantine/rollback.js';
import { parseQuarantineOutput } from '../../../src/quarantine/manifest.js';

// The quarantine and rollback scripts run in a real /bin/sh on a scratch directory:
// files go into quarantine and come back byte-exact with mode, owner and attributes.

const isRoot = process.getuid?.() === 0;
function lsattr(p: string): string {
  const r = spawnSync('lsattr', ['-d', p], { encoding: 'latin1' });
  return r.status === 0 ? r.stdout.split(' ')[0]! : '';
}
const chattrWorks = (() => {
  if (!isRoot) return false;
  const d = mkdtempSync(path.join(tmpdir(), 'ms-attr-'));
  const f = path.join(d, 'x');
  writeFileSync(f, 'x');
  const ok = spawnSync('chattr', ['+i', f]).status === 0;
  spawnSync('chattr', ['-i', f]);
  rmSync(d, { recursive: true });
  return ok;
})();

function run(script: string): { code: number; stdout: string } {
  const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'latin1' });
  return { code: r.status ?? -1, stdout: decodeLossless(Buffer.from(r.stdout, 'latin1')) };
}

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'ms-q-')); });
afterEach(() => { spawnSync('chattr', ['-R', '-i', '-a', dir]); rmSync(dir, { recursive: true, force: true }); });

describe('quarantine and rollback on a real shell', () => {
  it('moves files with hostile names into quarantine and brings them back byte-exact', () => {
    const q = path.join(dir, 'quarantine');
    const hostileBytes = Buffer.concat([Buffer.from(path.join(dir, "evil name\n$(touch pwned)'\"\x1b[31m")), Buffer.from([0xff, 0xfe])]);
    const hostile = decodeLossless(hostileBytes);
    const plain = path.join(dir, 'kdevtmpfsi');
    const content = Buffer.from([0, 1, 2, 255, 10, 13, 0x41]);
    writeFileSync(hostileBytes, content, { mode: 0o4751 });
    writeFileSync(plain, 'miner\n', { mode: 0o755 });
    if (chattrWorks) execFileSync('chattr', ['+i', plain]);
    const step = planQuarantine([hostile, plain], q)[0]!;
    const r = run(step.command);
    expect(r.code).toBe(0);
    expect(existsSync(hostileBytes)).toBe(false);
    expect(existsSync(plain)).toBe(false);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
    const recs = parseQuarantineOutput(r.stdout, q);
    expect(recs.map((x) => x.originalPath)).toEqual([hostile, plain]);
    expect(recs[0]!.mode).toBe('4751');
    expect(recs[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    if (chattrWorks) expect(recs[1]!.attrs).toContain('i');
    // the host manifest holds the same records
    const manifest = readFileSync(path.join(q, 'manifest'), 'latin1');
    expect(parseQuarantineOutput(decodeLossless(Buffer.from(manifest, 'latin1')), q, false)).toEqual(recs);
    expect(statSync(q).mode & 0o777).toBe(0o700);

    for (const s of planRollback(recs)) expect(run(s.command).code).toBe(0);
    expect(readFileSync(hostileBytes)).toEqual(content);
    expect(statSync(hostileBytes).mode & 0o7777).toBe(0o4751);
    expect(readFileSync(plain, 'utf8')).toBe('miner\n');
    if (chattrWorks) expect(lsattr(plain)).toContain('i');
    // a second rollback finds everything in place and changes nothing
    for (const s of planRollback(recs)) {
      const again = run(s.command);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('MSR-PRESENT');
    }
  });

  it('keeps symlinks as links and reports an absent file without failing', () => {
    const q = path.join(dir, 'q');
    const link = path.join(dir, 'bot.service');
    symlinkSync('/etc/systemd/system/bot.service', link);
    const r = run(planQuarantine([link, path.join(dir, 'absent')], q)[0]!.command);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('MSQ-ABSENT');
    const recs = parseQuarantineOutput(r.stdout, q);
    expect(recs).toHaveLength(1);
    for (const s of planRollback(recs)) expect(run(s.command).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('/etc/systemd/system/bot.service');
  });

  it('moves whatever took the path aside instead of overwriting it', () => {
    const q = path.join(dir, 'q');
    const f = path.join(dir, 'ps');
    writeFileSync(f, '#!/bin/sh\nevil\n', { mode: 0o755 });
    const recs = parseQuarantineOutput(run(planQuarantine([f], q)[0]!.command).stdout, q);
    writeFileSync(f, 'something new');
    for (const s of planRollback(recs)) expect(run(s.command).code).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe('#!/bin/sh\nevil\n');
    const aside = execFileSync('sh', ['-c', `grep -l 'something new' ${q}/pre-rollback-*`]).toString();
    expect(aside).toContain('pre-rollback');
  });

  it('fails loudly when a quarantined copy no longer matches its sha256', () => {
    const q = path.join(dir, 'q');
    const f = path.join(dir, 'x');
    writeFileSync(f, 'a');
    const recs = parseQuarantineOutput(run(planQuarantine([f], q)[0]!.command).stdout, q);
    writeFileSync(recs[0]!.quarantinePath, 'tampered');
    const r = run(planRollback(recs)[0]!.command);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain('MSR-MISMATCH');
    expect(encodeLossless(recs[0]!.originalPath).toString()).toBe(f);
  });
});
