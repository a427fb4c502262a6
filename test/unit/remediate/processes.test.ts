import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planProcesses } from '../../../src/remediate/processes.js';
import { ctxFor, emptyFacts } from './facts-fixture.js';

// The kill script on a real shell, against processes this test started (by PID only).

function startTime(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const ticks = Number(stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[19]);
  const btime = Number(/btime (\d+)/.exec(readFileSync('/proc/stat', 'utf8'))![1]);
  const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return btime + Math.floor(ticks / hz);
}

const alive = (pid: number) => spawnSync('kill', ['-0', String(pid)]).status === 0;

describe('planProcesses on a real shell', () => {
  it('stops then kills the family, watchdog first, children included', async () => {
    const watchdog = spawn('/bin/sh', ['-c', 'sleep 300 & sleep 300 & wait'], { stdio: 'ignore' });
    const miner = spawn('sleep', ['301'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 200));
    const plan = planProcesses(
      [
        { type: 'process', pid: miner.pid!, comm: 'sleep', exe: '/usr/bin/sleep', startTime: startTime(miner.pid!), role: 'miner' },
        { type: 'process', pid: watchdog.pid!, comm: 'sh', exe: '/usr/bin/dash', startTime: startTime(watchdog.pid!), role: 'watchdog' },
      ],
      ctxFor(emptyFacts()),
    );
    const step = plan.steps[0]!;
    expect(step.command).toMatch(new RegExp(`ms_targets '${watchdog.pid}:\\d+ ${miner.pid}:\\d+'`)); // watchdog first
    const r = spawnSync('/bin/sh', ['-c', step.command], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`MS-KILLED ${watchdog.pid}`);
    expect(r.stdout).toContain(`MS-KILLED ${miner.pid}`);
    expect((r.stdout.match(/MS-KILLED/g) ?? []).length).toBe(4); // watchdog, its 2 children, miner
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(miner.pid!)).toBe(false);
  }, 120_000);

  it('kills every process running a dropped executable, and only those', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ms-kill-'x $(id)"));
    const exe = path.join(dir, 'kdevtmpfsi');
    copyFileSync(spawnSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).stdout.trim(), exe);
    spawnSync('chmod', ['755', exe]);
    const listed = spawn(exe, ['303'], { stdio: 'ignore' });
    const copy = spawn(exe, ['304'], { stdio: 'ignore' }); // not listed: found by its exe
    const other = spawn('sleep', ['305'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 200));
    const plan = planProcesses([{ type: 'process', pid: listed.pid!, comm: 'kdevtmpfsi', exe, startTime: startTime(listed.pid!), role: 'miner' }], ctxFor(emptyFacts()));
    const r = spawnSync('/bin/sh', ['-c', plan.steps[0]!.command], { encoding: 'utf8' });
    expect(r.stdout).toContain(`MS-KILLED ${listed.pid}`);
    expect(r.stdout).toContain(`MS-KILLED ${copy.pid}`);
    expect(r.stdout).not.toContain(`${other.pid}`);
    expect(alive(other.pid!)).toBe(true);
    other.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('kills a run still under way of a removed cron entry (its sh -c and children), nothing else', async () => {
    const cmd = `sleep 306 | cat; echo "it's $(id -u)" '<script>'`;
    const run = spawn('/bin/sh', ['-c', cmd], { stdio: 'ignore' });
    const other = spawn('/bin/sh', ['-c', 'sleep 307 | cat; :'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    const plan = planProcesses([{ type: 'cron-line', path: '/etc/cron.d/x', lineNumber: 2, line: `*/5 * * * * root ${cmd}` }], ctxFor(emptyFacts()));
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]!.description).toMatch(/run still under way/);
    const r = spawnSync('/bin/sh', ['-c', plan.steps[0]!.command], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`MS-KILLED ${run.pid}`);
    expect((r.stdout.match(/MS-KILLED/g) ?? []).length).toBe(3); // sh, sleep, cat
    expect(r.stdout).toContain('MS-CHANGED');
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(run.pid!)).toBe(false);
    expect(alive(other.pid!)).toBe(true);
    other.kill('SIGKILL');
  }, 120_000);

  it('never touches a pid whose start time does not match (recycled)', async () => {
    const p = spawn('sleep', ['302'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 100));
    const plan = planProcesses([{ type: 'process', pid: p.pid!, comm: 'sleep', exe: '/usr/bin/sleep', startTime: startTime(p.pid!) - 3600, role: 'miner' }], ctxFor(emptyFacts()));
    const r = spawnSync('/bin/sh', ['-c', plan.steps[0]!.command], { encoding: 'utf8' });
    expect(r.stdout).toContain(`MS-RECYCLED ${p.pid}`);
    expect(alive(p.pid!)).toBe(true);
    p.kill('SIGKILL');
  }, 120_000);

  it('never signals its own shell or ancestors, even when listed', () => {
    const me = process.pid;
    const plan = planProcesses([{ type: 'process', pid: me, comm: 'node', exe: process.execPath, startTime: startTime(me), role: 'miner' }], ctxFor(emptyFacts()));
    const r = spawnSync('/bin/sh', ['-c', plan.steps[0]!.command], { encoding: 'utf8' });
    expect(r.stdout).toContain(`MS-PROTECTED ${me}`);
  }, 120_000);

  it('refuses PID 1 and sshd at plan time', () => {
    const facts = emptyFacts({ processes: [{ pid: 812, ppid: 1, user: 'root', uid: 0, cpuPercent: 0, startTime: 1, elapsedSeconds: 1, comm: 'sshd', argv: ['sshd'], exe: '/usr/sbin/sshd', exeDeleted: false, cwd: '/', ldPreload: '', exeSha256: '', kernelThread: false }] });
    const plan = planProcesses(
      [
        { type: 'process', pid: 1, comm: 'init', exe: '/sbin/init', startTime: 1, role: 'other' },
        { type: 'process', pid: 812, comm: 'sshd', exe: '/usr/sbin/sshd', startTime: 1, role: 'other' },
      ],
      ctxFor(facts),
    );
    expect(plan.steps).toHaveLength(0);
    expect(plan.notes.join('\n')).toMatch(/PID 1/);
    expect(plan.notes.join('\n')).toMatch(/sshd/);
  });
});
