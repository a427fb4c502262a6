import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newMarkers, remoteCommand, stripPrompts, withRemoteTimeout } from '../../../src/transport/become.js';

// The remote wrappers are plain sh: run them with the local /bin/sh.
function pgrep(pattern: string): string {
  const r = spawnSync('pgrep', ['-f', pattern]);
  return r.stdout.toString().trim();
}

describe('remote command timeout', () => {
  it('timeout(1): kills the whole process group at the deadline', () => {
    const t0 = Date.now();
    const r = spawnSync('/bin/sh', ['-c', withRemoteTimeout('sleep 61.5 & sleep 62.5; echo never', 1)]);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.stdout.toString()).toBe('');
    expect(pgrep('sleep 6[12].5')).toBe('');
  });
  it('sh watchdog when timeout(1) is missing', () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'ms-bin-'));
    for (const t of ['sh', 'sleep', 'echo']) symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${t} || echo /bin/${t}`]).toString().trim().replace(/^echo$/, '/bin/echo'), path.join(bin, t));
    const t0 = Date.now();
    const r = spawnSync(path.join(bin, 'sh'), ['-c', withRemoteTimeout('sleep 63.5 & sleep 64.5; echo never', 1)], { env: { PATH: bin } });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.stdout.toString()).toBe('');
    expect(r.status ?? r.signal).not.toBe(0);
    expect(pgrep('sleep 6[34].5')).toBe('');
    // in time: stdin reaches the command, its status is kept, the watchdog is gone
    const ok = spawnSync(path.join(bin, 'sh'), ['-c', withRemoteTimeout('while read l; do echo "got $l"; done; exit 3', 65)], { env: { PATH: bin }, input: 'a\nb\n' });
    expect(ok.stdout.toString()).toBe('got a\ngot b\n');
    expect(ok.status).toBe(3);
  });
  it('keeps stdin and the exit status of a command that finishes in time', () => {
    const r = spawnSync('/bin/sh', ['-c', withRemoteTimeout("cat; exit 3", 5)], { input: 'in\n' });
    expect(r.stdout.toString()).toBe('in\n');
    expect(r.status).toBe(3);
  });
});

describe('sudo wrapping', () => {
  it('puts nothing secret in argv and quotes hostile commands; prints the ready marker first', () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'ms-sudo-'));
    // a stand-in sudo that checks the options minesweep passes and runs the command
    writeFileSync(
      path.join(bin, 'sudo'),
      '#!/bin/sh\nwhile [ "$1" != "--" ]; do case "$1" in -p) printf "%s" "$2" >&2; shift;; -u) echo "user=$2" >&2; shift;; esac; shift; done; shift\nread pw; [ "$pw" = s3cret ] || exit 1\nexec "$@"\n',
    );
    chmodSync(path.join(bin, 'sudo'), 0o755);
    const m = newMarkers();
    const hostile = `printf '%s\\n' "it's \\$(id)"; cat`;
    const cmd = remoteCommand(hostile, { sudo: { user: 'root', markers: m } });
    expect(cmd).not.toContain('s3cret');
    const r = spawnSync('/bin/sh', ['-c', cmd], { input: 's3cret\nstdin-line\n', env: { PATH: `${bin}:${process.env['PATH']}` } });
    expect(r.stdout.toString()).toBe(`${m.ready}\nit's $(id)\nstdin-line\n`);
    const err = stripPrompts(r.stderr.toString(), m.prompt);
    expect(err.count).toBe(1);
    expect(err.text).toBe('user=root\n');
  });
});
