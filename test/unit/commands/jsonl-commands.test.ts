import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { HostResult } from '../../../src/core/result.js';
import type { RunRecord } from '../../../src/run/types.js';
import type { ExecResult } from '../../../src/transport/types.js';
import { playedLine, taskLine, type JsonlLine } from '../../../src/report/jsonl.js';
import { resultStream } from '../../../src/commands/jsonl.js';
import { execLine } from '../../../src/commands/exec.js';
import { pingLine, type PingValue } from '../../../src/commands/ping.js';
import { changesOf } from '../../../src/commands/rollback.js';
import { lastResort } from '../../../src/commands/last-resort.js';
import { checkStream, hostLines, invalidLines, jsonLines } from '../../helpers/jsonl.js';

// exec, ping, hosts, run and rollback --json: typed lines of minesweep.jsonl/1, validated by ajv
// against src/report/jsonl.schema.json — the line builders on recorded runs and hostile
// output, and the CLI itself (dist/cli.js) where it needs no lab: --list-hosts, check mode,
// usage errors, hosts that cannot be reached (127.0.0.1, a closed port), nothing to roll back.

vi.setConfig({ testTimeout: 180_000 });
const root = path.resolve(import.meta.dirname, '../../..');
const recorded = JSON.parse(readFileSync(path.join(root, 'test/fixtures/runs/lab-remediate-12/run.json'), 'utf8')) as RunRecord;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ms-jsonl-cmd-'));
// port 1 on the loopback: refused at once, so every host is unreachable without any network
const inv = path.join(tmp, 'inv.yml');
writeFileSync(inv, 'all:\n  vars:\n    ansible_port: 1\n  children:\n    web:\n      hosts:\n        web1: {ansible_host: 127.0.0.1}\n        "web2$(id)\\u001bX": {ansible_host: 127.0.0.2}\n');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, ANSIBLE_CONFIG: '', MINESWEEP_SSH: 'none' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const result = <T>(host: string, status: HostResult['status'], value?: T, reason?: string): HostResult<T> => ({ host, status, startedAt: '2026-12-03T10:00:00.000Z', durationMs: 42, ...(value ? { value } : {}), ...(reason ? { reason } : {}) });

describe('line builders', () => {
  it('exec: the output of a hostile host (control characters, bytes that are not UTF-8, no exit status) is escaped JSON that validates', () => {
    const v: ExecResult = { code: null, stdout: Buffer.from([0x61, 0x1b, 0x5b, 0x32, 0x4a, 0x0a, 0xff, 0xfe]), stderr: Buffer.from('minesweep: sudo\x07 failed\n'), durationMs: 9, timedOut: true };
    const lines = [execLine(result('h\x1b1', 'failed', v, 'timed out after 3s')), execLine(result('h2', 'unreachable', undefined, 'connect ECONNREFUSED')), execLine(result('h3', 'ok', { ...v, code: 0, timedOut: false }))];
    expect(invalidLines(lines)).toEqual([]);
    expect(lines[0]).toMatchObject({ type: 'host', stage: 'action', status: 'failed', output: { rc: null, timedOut: true } });
    expect(lines[1]).not.toHaveProperty('output');
    for (const l of lines) expect(JSON.stringify(l)).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it('ping: the address reached on the line, user, controller and sudo as details', () => {
    const v: PingValue = { user: 'deploy', address: '10.0.0.5:2222', controller: '10.0.0.1', sudo: 'root' };
    const ok = pingLine(result('h1', 'ok', v));
    const down = pingLine(result('h2', 'unreachable', undefined, 'no SSH answer'));
    expect(invalidLines([ok, down])).toEqual([]);
    expect(ok).toMatchObject({ address: '10.0.0.5:2222', details: { user: 'deploy', controller: '10.0.0.1', sudo: 'root' }, durationMs: 42 });
    expect(down).toMatchObject({ status: 'unreachable', reason: 'no SSH answer' });
  });

  it('run: every task of the recorded lab remediation (test/fixtures/runs/lab-remediate-12) as a task line, every host as an action line', () => {
    const tasks = recorded.hosts.flatMap((h) => h.tasks.map((record) => taskLine({ host: h.name, record, ignored: false })));
    expect(tasks.length).toBeGreaterThan(50);
    expect(invalidLines(tasks)).toEqual([]);
    expect(tasks.some((t) => (t.steps?.length ?? 0) > 0)).toBe(true);
    const hosts = recorded.hosts.map(playedLine);
    expect(invalidLines(hosts)).toEqual([]);
    expect(hosts.map((h) => h.host)).toEqual(recorded.hosts.map((h) => h.name));
  });

  it('rollback: each recorded change of the lab remediation, planned in check mode, with the outcome after --apply', () => {
    const withChanges = recorded.hosts.filter((h) => h.quarantine.length);
    expect(withChanges.length).toBeGreaterThan(0);
    for (const h of withChanges) {
      const planned = changesOf({ records: h.quarantine, results: new Map() }, false);
      const applied = changesOf({ records: h.quarantine, results: new Map([[h.quarantine[0]!.id ?? 's0-0000000000000000', { outcome: 'restored', detail: 'back', aside: [] }]]) }, true);
      const lines = [planned, applied].map((changes) => ({ type: 'host', v: 1, stage: 'action', host: h.name, status: 'changed', changes }));
      expect(invalidLines(lines)).toEqual([]);
      expect(planned.every((c) => c.outcome === 'planned')).toBe(true);
      expect(applied[0]).toMatchObject({ outcome: 'restored', detail: 'back' });
      expect(applied.slice(1).every((c) => c.outcome === 'failed')).toBe(true);
    }
  });
});

describe('resultStream', () => {
  it('writes the run line before its first line (a warning included), the summary last; nothing without --json', () => {
    const got: JsonlLine[] = [];
    const s = resultStream(true, 'ping', {}, (l) => got.push(l));
    expect(got).toEqual([]);
    s.warn('pinned new host key for h1', 'h1');
    s.line(pingLine(result('h1', 'ok', { user: 'root', address: '10.0.0.1:22' })));
    s.end([result('h1', 'ok')], 0);
    expect(got.map((l) => l.type)).toEqual(['run', 'warning', 'host', 'summary']);
    expect(got[0]).toMatchObject({ command: 'ping', id: null, runDir: null });
    expect(invalidLines(got)).toEqual([]);
    const none: JsonlLine[] = [];
    const off = resultStream(false, 'ping', {}, (l) => none.push(l));
    off.line(pingLine(result('h1', 'ok')));
    off.end([], 0);
    expect(none).toEqual([]);
  });
});

describe('the last-resort guard', () => {
  it('with --json, a command cut by an internal error ends its stream with an error line', () => {
    const argv = process.argv;
    const out = process.stdout.write;
    const err = process.stderr.write;
    const said: string[] = [];
    process.argv = [argv[0]!, 'cli.js', 'ping', '--json'];
    process.stdout.write = ((m: string) => void said.push(m)) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    const guard = lastResort();
    try {
      guard.fail('internal error: boom\x1b[2J');
    } finally {
      process.argv = argv;
      process.stdout.write = out;
      process.stderr.write = err;
      guard.done();
      process.exitCode = 0;
    }
    const lines = jsonLines(said.join(''));
    expect(invalidLines(lines)).toEqual([]);
    expect(lines).toEqual([{ type: 'error', v: 1, message: 'internal error: boom\x1b[2J' }]);
    expect(said.join('')).not.toContain('\x1b');
  });
});

describe('the CLI with --json (no lab)', () => {
  it('--list-hosts: run, one resolve line per selected host (nothing connects), summary, exit 0 — on every fleet command', () => {
    const pb = path.join(tmp, 'list.yml');
    writeFileSync(pb, '- hosts: all\n  tasks:\n    - shell: echo hi\n');
    const runs = ['-o', path.join(tmp, 'runs')];
    for (const cmd of [['ping'], ['exec', 'true'], ['hosts'], ['run', pb, ...runs], ['sweep', ...runs], ['remediate', ...runs], ['harden', ...runs]]) {
      const r = cli([...cmd, '-i', inv, '--list-hosts', '--json']);
      expect(r.code, `${cmd[0]}: ${r.err}`).toBe(0);
      const { lines, problems } = checkStream(r.out, cmd[0]!, 0);
      expect(problems, cmd[0]).toEqual([]);
      expect(lines.filter((l) => l.type === 'host').map((l) => [l.host, l.stage, l.status])).toEqual([['web1', 'resolve', 'skipped'], ['web2$(id)\u001bX', 'resolve', 'skipped']]);
    }
  });

  it('a usage error is one error line (usage: true), exit 2, the message on stderr too', () => {
    for (const args of [['exec', '-i', inv, '--json', ' '], ['ping', '-i', inv, '--json', '--limit', 'nosuchgroup'], ['rollback', path.join(tmp, 'no-such-run'), '--json']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      const lines = jsonLines(r.out);
      expect(invalidLines(lines)).toEqual([]);
      expect(lines).toEqual([expect.objectContaining({ type: 'error', usage: true })]);
      expect(r.err).toContain(String(lines[0]!['message']).split('\n')[0]);
    }
  });

  it('exec --check: every host skipped, nothing runs', () => {
    const r = cli(['exec', '-i', inv, '--check', '--json', 'rm -rf /']);
    expect(r.code).toBe(0);
    const { lines, problems } = checkStream(r.out, 'exec', 0);
    expect(problems).toEqual([]);
    expect([...hostLines(lines).values()].map((l) => [l.status, l.reason])).toEqual([['skipped', 'check mode: not run'], ['skipped', 'check mode: not run']]);
  });

  it('ping, exec and run against hosts that refuse the connection: unreachable lines with the reason, exit 4', () => {
    const pb = path.join(tmp, 'pb.yml');
    writeFileSync(pb, '- name: p\n  hosts: all\n  tasks:\n    - name: t\n      shell: echo hi\n');
    for (const [cmd, args] of [['ping', []], ['exec', ['true']], ['run', [pb, '-o', path.join(tmp, 'runs')]]] as const) {
      const r = cli([cmd, ...args, '-i', inv, '--json', '--connect-timeout', '5']);
      expect(r.code, `${cmd}: ${r.err}`).toBe(4);
      const { lines, problems } = checkStream(r.out, cmd, 4);
      expect(problems, cmd).toEqual([]);
      const hosts = hostLines(lines);
      expect([...hosts.keys()].sort(), cmd).toEqual(['web1', 'web2$(id)\u001bX']);
      for (const h of hosts.values()) expect([cmd, h.stage, h.status, typeof h.reason]).toEqual([cmd, 'action', 'unreachable', 'string']);
      expect(lines.at(-1)).toMatchObject({ status: { unreachable: 2 }, hosts: 2 });
      if (cmd === 'run') expect(lines[0]).toMatchObject({ id: expect.any(String), runDir: expect.stringContaining(path.join(tmp, 'runs')), apply: false });
      else expect(lines[0]).toMatchObject({ id: null, runDir: null });
    }
  });

  it('hosts: the resolved connection per host; a host that cannot be targeted is a failed line, exit 3', () => {
    const bad = path.join(tmp, 'bad.yml');
    writeFileSync(bad, 'all:\n  hosts:\n    good: {ansible_host: 127.0.0.1, ansible_port: 2200, ansible_user: ops}\n    broken: {ansible_host: 127.0.0.1, ansible_port: "not-a-port"}\n');
    const r = cli(['hosts', '-i', bad, '--json']);
    expect(r.code, r.err).toBe(3);
    const { lines, problems } = checkStream(r.out, 'hosts', 3);
    expect(problems).toEqual([]);
    const hosts = hostLines(lines);
    expect(hosts.get('good')).toMatchObject({ stage: 'resolve', status: 'ok', address: '127.0.0.1:2200', details: { user: 'ops', port: 2200, jumps: [] } });
    expect(hosts.get('broken')).toMatchObject({ stage: 'resolve', status: 'failed', reason: expect.any(String) });
  });

  it('rollback of a run that changed nothing: run line naming that run, summary of no hosts, exit 0', () => {
    const dir = path.join(root, 'test/fixtures/runs/sweep-recorded-facts');
    const r = cli(['rollback', dir, '-i', inv, '--json']);
    expect(r.code, r.err).toBe(0);
    const { lines, problems } = checkStream(r.out, 'rollback', 0);
    expect(problems).toEqual([]);
    expect(lines[0]).toMatchObject({ id: expect.any(String), runDir: dir, apply: false });
    expect(lines.at(-1)).toMatchObject({ hosts: 0 });
  });
});
