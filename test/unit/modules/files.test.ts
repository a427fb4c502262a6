import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { editLines } from '../../../src/modules/support/line-edit.js';
import { emptyGathered } from '../../../src/playbook/gather.js';
import { applyLocal, plan, stepsOf } from './harness.js';

let d: string;
beforeEach(() => {
  d = mkdtempSync(path.join(tmpdir(), 'ms-mod-'));
});
afterEach(() => rmSync(d, { recursive: true, force: true }));

const mode = (p: string) => (statSync(p).mode & 0o7777).toString(8).padStart(4, '0');

describe('lineinfile', () => {
  test('edits (pure): replace last match, add, insertafter/before, absent', () => {
    const t = 'a=1\n#x\na=2\nb=1\n';
    expect(editLines(t, { state: 'present', line: 'a=9', regexp: /^a=/ })).toBe('a=1\n#x\na=9\nb=1\n');
    expect(editLines(t, { state: 'present', line: 'a=9', regexp: /^a=/, firstmatch: true })).toBe('a=9\n#x\na=2\nb=1\n');
    expect(editLines(t, { state: 'present', line: 'c=1' })).toBe(t + 'c=1\n');
    expect(editLines(t, { state: 'present', line: 'b=1' })).toBe(t);
    expect(editLines(t, { state: 'present', line: 'z', insertafter: '^#x' })).toBe('a=1\n#x\nz\na=2\nb=1\n');
    expect(editLines(t, { state: 'present', line: 'z', insertbefore: 'BOF' })).toBe('z\n' + t);
    expect(editLines(t, { state: 'absent', regexp: /^a=/ })).toBe('#x\nb=1\n');
    expect(editLines('no-newline', { state: 'present', line: 'x' })).toBe('no-newline\nx\n');
    expect(editLines('', { state: 'present', line: 'x' })).toBe('x\n');
  });

  test('plan on a gathered fixture: a diff, then nothing once the line is there', async () => {
    const g = emptyGathered();
    g.files['/etc/redis/redis.conf'] = { path: '/etc/redis/redis.conf', exists: true, type: 'file', mode: '0640', uid: 0, gid: 0, owner: 'root', group: 'redis', content: 'port 6380\nbind 0.0.0.0\n' };
    const p = await plan('lineinfile', { path: '/etc/redis/redis.conf', regexp: '^bind ', line: 'bind 127.0.0.1' }, g);
    const s = stepsOf(p);
    expect(s).toHaveLength(1);
    expect(s[0]!.diff).toContain('-bind 0.0.0.0\n+bind 127.0.0.1');
    expect(String(s[0]!.stdin)).toBe('port 6380\nbind 127.0.0.1\n');
    expect(s[0]!.command).toContain('chmod 0640');
    // the old file is recorded first and its owner kept as the host has it at that moment
    expect(s[0]!.journal).toBe(true);
    expect(s[0]!.command).toContain('ms_backup "$p"');
    g.files['/etc/redis/redis.conf']!.content = 'port 6380\nbind 127.0.0.1\n';
    expect((await plan('lineinfile', { path: '/etc/redis/redis.conf', regexp: '^bind ', line: 'bind 127.0.0.1' }, g)).kind).toBe('nothing');
  });

  test('missing file: fails without create, creates with it; then idempotent', async () => {
    const f = path.join(d, 'new.conf');
    await expect(applyLocal('lineinfile', { path: f, line: 'x=1' })).rejects.toThrow(/does not exist; add "create: true"/);
    const r = await applyLocal('lineinfile', { path: f, line: 'x=1', create: true, mode: '0600' });
    expect(r.codes).toEqual([0]);
    expect(readFileSync(f, 'utf8')).toBe('x=1\n');
    expect(mode(f)).toBe('0600');
    expect((await applyLocal('lineinfile', { path: f, line: 'x=1', create: true, mode: '0600' })).plan.kind).toBe('nothing');
  });

  test('hostile line and path round-trip through the shell', async () => {
    const f = path.join(d, "we'ird $(x) name");
    writeFileSync(f, 'keep\n');
    const line = "evil='$(rm -rf /)' `id` \\ \"q\" \u00e9";
    const r = await applyLocal('lineinfile', { path: f, line });
    expect(r.codes).toEqual([0]);
    expect(readFileSync(f, 'utf8')).toBe(`keep\n${line}\n`);
  });

  test('validation: line with newline, bad regexp, absent without regexp', async () => {
    await expect(plan('lineinfile', { path: '/a', line: 'a\nb' })).rejects.toThrow(/line must be a single line/);
    await expect(plan('lineinfile', { path: '/a', line: 'a', regexp: '(' })).rejects.toThrow(/regexp is not a valid regular expression/);
    await expect(plan('lineinfile', { path: '/a', state: 'absent' })).rejects.toThrow(/state absent needs "regexp" or "line"/);
  });
});

describe('copy and template', () => {
  test('copy content: create, then nothing, then a mode-only change', async () => {
    const f = path.join(d, 'c.txt');
    expect((await applyLocal('copy', { dest: f, content: 'hello\n' })).codes).toEqual([0]);
    expect(readFileSync(f, 'utf8')).toBe('hello\n');
    expect(mode(f)).toBe('0644');
    expect((await applyLocal('copy', { dest: f, content: 'hello\n' })).plan.kind).toBe('nothing');
    const r = await applyLocal('copy', { dest: f, content: 'hello\n', mode: '0400' });
    expect(stepsOf(r.plan).map((s) => s.description)).toEqual([`chmod 0400 ${f} (was 0644)`]);
    expect(mode(f)).toBe('0400');
  });

  test('copy keeps the existing mode when rewriting', async () => {
    const f = path.join(d, 'k');
    writeFileSync(f, 'old\n', { mode: 0o600 });
    const r = await applyLocal('copy', { dest: f, content: 'new\n' });
    expect(stepsOf(r.plan)[0]!.diff).toBe(`--- ${f}\n+++ ${f}\n@@ -1,1 +1,1 @@\n-old\n+new\n`);
    expect(mode(f)).toBe('0600');
  });

  test('copy src from the controller', async () => {
    mkdirSync(path.join(d, 'pb'));
    writeFileSync(path.join(d, 'pb', 'src.txt'), 'from controller\n');
    const dest = path.join(d, 'out');
    await applyLocal('copy', { dest, src: 'src.txt' }, { readLocal: (p) => readFileSync(path.join(d, 'pb', p), 'utf8') });
    expect(readFileSync(dest, 'utf8')).toBe('from controller\n');
    // into a directory: the src name is kept, and the second run changes nothing
    const into = path.join(d, 'dir');
    mkdirSync(into);
    const over = { readLocal: (p: string) => readFileSync(path.join(d, 'pb', p), 'utf8') };
    expect((await applyLocal('copy', { dest: into, src: 'src.txt' }, over)).codes).toEqual([0]);
    expect(readFileSync(path.join(into, 'src.txt'), 'utf8')).toBe('from controller\n');
    expect((await applyLocal('copy', { dest: into, src: 'src.txt' }, over)).plan.kind).toBe('nothing');
  });

  test('copy validation', async () => {
    await expect(plan('copy', { dest: '/x' })).rejects.toThrow(/exactly one of content and src/);
    await expect(plan('copy', { dest: 'rel', content: '' })).rejects.toThrow(/dest must be an absolute path/);
  });

  test('template renders with the vars; host values are text, not template', async () => {
    const dest = path.join(d, 't.conf');
    const vars = { port: 6380, who: '{{danger}} $(id)' };
    const over = { vars, readLocal: () => 'port {{port}}\n# by {{who}}\n', render: undefined as never };
    const { renderString } = await import('../../../src/playbook/template.js');
    over.render = ((t: string) => renderString(t, vars)) as never;
    const r = await applyLocal('template', { src: 'x.hbs', dest }, over);
    expect(r.codes).toEqual([0]);
    expect(readFileSync(dest, 'utf8')).toBe('port 6380\n# by {{danger}} $(id)\n');
    expect((await applyLocal('template', { src: 'x.hbs', dest }, over)).plan.kind).toBe('nothing');
  });
});

describe('file', () => {
  test('directory: create with mode, then nothing', async () => {
    const p = path.join(d, 'a/b');
    const r = await applyLocal('file', { path: p, state: 'directory', mode: '0750' });
    expect(r.codes).toEqual([0]);
    expect(mode(p)).toBe('0750');
    expect((await applyLocal('file', { path: p, state: 'directory', mode: '0750' })).plan.kind).toBe('nothing');
  });

  test('touch, mode change, link, absent', async () => {
    const f = path.join(d, 'f');
    await applyLocal('file', { path: f, state: 'touch', mode: '0640' });
    expect(mode(f)).toBe('0640');
    expect(stepsOf((await applyLocal('file', { path: f, mode: '0600' })).plan)).toHaveLength(1);
    expect(mode(f)).toBe('0600');
    const l = path.join(d, 'l');
    await applyLocal('file', { path: l, state: 'link', src: f });
    expect(readlinkSync(l)).toBe(f);
    expect((await applyLocal('file', { path: l, state: 'link', src: f })).plan.kind).toBe('nothing');
    // absent never deletes: the link is moved into the run's quarantine directory (planned only here)
    const gone = stepsOf((await applyLocal('file', { path: l, state: 'absent' }, { quarantineDir: '/var/lib/minesweep/quarantine/test' }, true)).plan);
    expect(gone[0]!.description).toBe(`move link ${l} into /var/lib/minesweep/quarantine/test/ (quarantine, not deleted)`);
    expect(gone[0]!.command).toContain(`ms_quarantine ${l} l file${l.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
    // applied, the link itself goes into quarantine (its target stays)
    const q = path.join(d, 'q');
    expect((await applyLocal('file', { path: l, state: 'absent' }, { quarantineDir: q })).codes).toEqual([0]);
    expect(existsSync(l)).toBe(false);
    expect(readlinkSync(path.join(q, `file${l.replace(/[^A-Za-z0-9_.-]/g, '_')}`))).toBe(f);
    expect(existsSync(f)).toBe(true);
    expect((await applyLocal('file', { path: path.join(d, 'nothing-here'), state: 'absent' })).plan.kind).toBe('nothing');
    const empty = path.join(d, 'emptydir');
    mkdirSync(empty);
    await applyLocal('file', { path: empty, state: 'absent' }, { quarantineDir: q });
    expect(existsSync(empty)).toBe(false);
  });

  test('state file on a missing path fails with the fix', async () => {
    await expect(applyLocal('file', { path: path.join(d, 'nope'), mode: '0600' })).rejects.toThrow(/use state touch/);
  });

  test('attributes: +i plans chattr after the other changes; -i first; nothing when already so', async () => {
    const g = emptyGathered();
    g.files['/etc/cron.d/x'] = { path: '/etc/cron.d/x', exists: true, type: 'file', mode: '0644', owner: 'root', group: 'root', uid: 0, gid: 0, attrs: '----i---------e-------' };
    const unlock = stepsOf(await plan('file', { path: '/etc/cron.d/x', attributes: '-i', mode: '0600' }, g));
    expect(unlock.map((s) => s.description)).toEqual(['chattr -i /etc/cron.d/x', 'chmod 0600 /etc/cron.d/x (was 0644)']);
    // each records the mode, owner and attributes first, and refuses a symlink
    expect(unlock.every((s) => s.journal && s.command.includes('ms_before "$p" meta') && s.command.includes('is a symlink: not changed through it'))).toBe(true);
    expect(unlock[0]!.command).toContain('chattr -i -- /etc/cron.d/x || exit 1');
    expect((await plan('file', { path: '/etc/cron.d/x', attributes: '+i' }, g)).kind).toBe('nothing');
    g.files['/etc/cron.d/x']!.attrs = '--------------e-------';
    const lock = stepsOf(await plan('file', { path: '/etc/cron.d/x', attributes: 'ia', mode: '0400' }, g));
    expect(lock.map((s) => s.description)).toEqual(['chmod 0400 /etc/cron.d/x (was 0644)', 'chattr +ia /etc/cron.d/x']);
  });

  test('refuses / and bad attributes', async () => {
    await expect(plan('file', { path: '/', state: 'absent' })).rejects.toThrow(/refusing to act on \//);
    await expect(plan('file', { path: '/a', attributes: '+i+a' })).rejects.toThrow(/attributes must be like/);
  });
});
