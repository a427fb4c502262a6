import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseServiceState } from '../../../src/modules/service.js';
import { splitWords } from '../../../src/playbook/words.js';
import { emptyGathered } from '../../../src/playbook/gather.js';
import { applyLocal, mod, plan, stepsOf } from './harness.js';

let d: string;
beforeEach(() => {
  d = mkdtempSync(path.join(tmpdir(), 'ms-cmd-'));
});
afterEach(() => rmSync(d, { recursive: true, force: true }));

const run = (cmd: string, stdin = '') => spawnSync('sh', ['-c', cmd], { input: stdin }).stdout.toString();

describe('shell and command', () => {
  test('command passes argv as words: hostile values stay data', async () => {
    const p = await plan('command', { argv: ['printf', '%s|', "a'b", '$(id)', 'x; rm -rf /', ''] });
    expect(run(stepsOf(p)[0]!.command)).toBe("a'b|$(id)|x; rm -rf /||");
  });

  test('command string form splits like a shell, without expansion', () => {
    expect(splitWords(`ls -l "a b" 'c d' e\\ f $HOME`)).toEqual(['ls', '-l', 'a b', 'c d', 'e f', '$HOME']);
  });

  test('creates / removes skip the command (idempotence)', async () => {
    const f = path.join(d, 'done');
    const first = await applyLocal('shell', { cmd: `touch '${f}'`, creates: f });
    expect(first.codes).toEqual([0]);
    const second = await applyLocal('shell', { cmd: `touch '${f}'`, creates: f });
    expect(second.plan).toEqual({ kind: 'nothing', reason: `${f} exists (creates)` });
    expect((await applyLocal('command', { argv: ['rm', f], removes: path.join(d, 'absent') })).plan.kind).toBe('nothing');
  });

  test('chdir and stdin', async () => {
    writeFileSync(path.join(d, 'x'), '');
    const p = await plan('shell', { cmd: 'ls; cat', chdir: d, stdin: 'in\n' });
    const s = stepsOf(p)[0]!;
    expect(run(s.command, String(s.stdin))).toBe('x\nin\n');
  });

  test('a run step is changed on exit 0, failed otherwise', async () => {
    const m = await mod('shell');
    const s = stepsOf(await plan('shell', { cmd: 'true' }))[0]!;
    expect(m.stepStatus!(s, { code: 0, stdout: Buffer.alloc(0), stderr: '', timedOut: false }, {})).toBe('changed');
    expect(m.stepStatus!(s, { code: 2, stdout: Buffer.alloc(0), stderr: '', timedOut: false }, {})).toBe('failed');
  });

  test('command validation: empty argv, nested items', async () => {
    await expect(plan('command', { argv: [] })).rejects.toThrow(/argv is empty/);
    await expect(plan('command', { argv: ['a', { b: 1 }] })).rejects.toThrow(/argv items must be strings or numbers/);
  });
});

describe('service', () => {
  const g = (stdout: string) => {
    const x = emptyGathered();
    x.commands['service'] = { code: 0, stdout, stderr: '' };
    return x;
  };
  test('state parsing', () => {
    expect(parseServiceState('systemd\nactive\nenabled\n')).toEqual({ manager: 'systemd', active: true, enabled: true });
    expect(parseServiceState('systemd\ninactive\ndisabled\n')).toEqual({ manager: 'systemd', active: false, enabled: false });
    expect(parseServiceState('sysv\nactive\ndisabled\n')).toMatchObject({ manager: 'sysv', active: true });
  });
  test('started: nothing when running, start when not; enabled follows', async () => {
    expect((await plan('service', { name: 'redis', state: 'started', enabled: true }, g('systemd\nactive\nenabled\n'))).kind).toBe('nothing');
    const s = stepsOf(await plan('service', { name: 'redis', state: 'started', enabled: true }, g('systemd\ninactive\ndisabled\n')));
    expect(s.map((x) => x.command)).toEqual(['systemctl start -- redis', 'systemctl enable -- redis']);
    const v = stepsOf(await plan('service', { name: 'cron', state: 'restarted' }, g('sysv\nactive\nenabled\n')));
    expect(v.map((x) => x.command)).toEqual(['service cron restart']);
    expect(stepsOf(await plan('service', { name: 'x', state: 'stopped' }, g('sysv\ninactive\n')))).toEqual([]);
  });
  test('hostile service name is quoted in the gather command', async () => {
    const m = await mod('service');
    const req = m.gather!({ name: 'a;reboot' }, {} as never);
    expect(req.commands!['service']).toContain("'a;reboot'");
  });
});

describe('wait and debug', () => {
  test('wait for a path: succeeds when present, times out otherwise', async () => {
    const f = path.join(d, 'flag');
    writeFileSync(f, '');
    const ok = await applyLocal('wait', { path: f, timeout: 2 });
    expect(ok.codes).toEqual([0]);
    const bad = await applyLocal('wait', { path: path.join(d, 'never'), timeout: 1 });
    expect(bad.codes).toEqual([1]);
    expect(bad.stderr).toContain('timed out after 1s waiting for');
    const gone = await applyLocal('wait', { path: path.join(d, 'never'), state: 'absent', timeout: 1 });
    expect(gone.codes).toEqual([0]);
  });
  test('wait validation: exactly one target', async () => {
    await expect(plan('wait', { port: 1, path: '/x' })).rejects.toThrow(/exactly one of port, path and seconds/);
    await expect(plan('wait', { port: 70000 })).rejects.toThrow(/port out of range/);
  });
  test('wait for a port that nobody listens on fails after the timeout', async () => {
    const r = await applyLocal('wait', { port: 1, timeout: 1 });
    expect(r.codes).toEqual([1]);
  });
  test('debug prints a message or a variable and runs nothing', async () => {
    expect(await plan('debug', { msg: 'hi' })).toEqual({ kind: 'nothing', reason: 'hi' });
    expect(await plan('debug', { var: 'r.rc' }, undefined, { vars: { r: { rc: 3 } } })).toEqual({ kind: 'nothing', reason: 'r.rc = 3' });
  });
});
