import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProbeOutput } from '../../../src/probe/parse-output.js';
import { buildScript } from '../../../src/probe/script.js';
import type { ProbeSection } from '../../../src/probe/section.js';
import { sections } from '../../../src/probe/sections/index.js';

const which = (cmd: string): string | null => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};
const run = (shell: string[], script: string, env: NodeJS.ProcessEnv = process.env): { out: Buffer } => ({
  out: execFileSync(shell[0]!, [...shell.slice(1), '-s'], { input: script, env, maxBuffer: 64 * 1024 * 1024 }),
});
const tmp = mkdtempSync(path.join(tmpdir(), 'ms-probe-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('buildScript', () => {
  it('is one brace group reading nothing from stdin, options quoted', () => {
    const s = buildScript({ since: 90, paths: [`/tmp/it's "x"/*`, '~/.configrc5'] });
    expect(s.startsWith('{\n')).toBe(true);
    expect(s.trimEnd().endsWith('} </dev/null 2>/dev/null')).toBe(true);
    expect(s).toContain(`MS_SINCE_MIN=2\n`);
    expect(s).toContain(`MS_PATHS='/tmp/it'\\''s "x"/*\n~/.configrc5'\n`);
    for (const sec of sections) expect(s).toContain(`ms_sec_${sec.name}() {`);
  });

  it('has no bash-isms: dash and busybox sh accept its syntax', () => {
    const file = path.join(tmp, 'probe.sh');
    writeFileSync(file, buildScript({ since: 60, paths: ['/tmp/x'] }));
    for (const sh of [['dash'], ['busybox', 'sh']]) {
      if (!which(sh[0]!)) continue;
      expect(spawnSync(sh[0]!, [...sh.slice(1), '-n', file]).status).toBe(0);
    }
  });
});

const shells: Array<[string, string[]]> = [['sh', ['sh']]];
if (which('dash')) shells.push(['dash', ['dash']]);
if (which('busybox')) shells.push(['busybox sh', ['busybox', 'sh']]);

describe.each(shells)('the probe runs under %s', (_name, shell) => {
  it('prints every section, parsable, with nothing left on stdin unread', () => {
    const { out } = run(shell, buildScript({ only: ['host', 'accounts', 'processes', 'sockets', 'cron', 'loader', 'iptables'], budgetSeconds: 60 }) + 'echo STDIN-LEAK\n');
    const f = parseProbeOutput(out, { host: 'local', sections });
    expect(f.meta.errors.filter((e) => ['host', 'accounts', 'processes', 'sockets', 'cron', 'loader', 'iptables'].includes(e.section))).toEqual([]);
    expect(f.processes.some((p) => p.pid === process.pid)).toBe(true);
    expect(out.includes('STDIN-LEAK')).toBe(true); // the trailing line runs after the group, as the script's own line
    expect(f.hostname).not.toBe('');
    // each section's host CPU (its processes' clock ticks), ms
    expect(Object.keys(f.meta.sectionCpuMs ?? {}).sort()).toEqual(['accounts', 'cron', 'host', 'iptables', 'loader', 'processes', 'sockets']);
    expect(Object.values(f.meta.sectionCpuMs ?? {}).every((ms) => Number.isInteger(ms) && ms >= 0)).toBe(true);
  }, 120_000);
});

describe.runIf(which('busybox'))('on a busybox-only host', () => {
  it('collects with busybox applets only (no lsattr, no systemctl, no sshd)', () => {
    const bb = path.join(tmp, 'bb');
    mkdirSync(bb, { recursive: true });
    const busybox = which('busybox')!;
    for (const a of execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean))
      if (!existsSync(path.join(bb, a))) symlinkSync(busybox, path.join(bb, a));
    const { out } = run([path.join(bb, 'sh')], buildScript({ path: bb, only: ['host', 'accounts', 'processes', 'sockets', 'cron', 'ssh'] }));
    const f = parseProbeOutput(out, { host: 'bb' });
    expect(f.meta.tools).not.toContain('lsattr');
    expect(f.processes.length).toBeGreaterThan(3);
    expect(f.cron.every((c) => c.attrs === '')).toBe(true);
    expect(f.accounts.length).toBeGreaterThan(0);
  }, 120_000);
});

describe('bounds', () => {
  // the section's child writes its PID where the test can look for it afterwards
  const childPidFile = path.join(tmp, 'hang-child.pid');
  const hang: ProbeSection = {
    name: 'hang',
    snippet: `  ms_r x\n  ms_l a 1\n  sleep 30 & echo $! > ${childPidFile}\n  wait\n  ms_l b 2\n`,
    timeoutSeconds: 1,
    parse: (records) => ({ hostname: records.map((r) => r.str('a') + r.str('b')).join() }),
    missing: () => ({}),
  };
  const after: ProbeSection = { name: 'after', snippet: '  ms_r y\n  ms_l c 3\n', timeoutSeconds: 5, parse: (r) => ({ uptimeSeconds: r[0]!.num('c') }), missing: () => ({}) };

  it('kills a hanging section (and its children) at its timeout and goes on', () => {
    const { out } = run(['dash'].filter(which).length ? ['dash'] : ['sh'], buildScript({}, [hang, after]));
    const f = parseProbeOutput(out, { host: 'h', sections: [hang, after] });
    expect(f.hostname).toBe('1'); // what it printed before it hung, and nothing after
    expect(f.meta.truncated).toEqual(['hang']);
    expect(f.meta.errors[0]?.message).toMatch(/killed after 1s/);
    expect(f.uptimeSeconds).toBe(3); // the next section ran
    // its child was killed with it: that PID is gone, or (reused) no longer our sleep
    const child = Number(readFileSync(childPidFile, 'utf8').trim());
    expect(child).toBeGreaterThan(1);
    const cmdline = existsSync(`/proc/${child}/cmdline`) ? readFileSync(`/proc/${child}/cmdline`, 'utf8') : '';
    expect(cmdline).not.toBe('sleep\u000030\u0000');
  }, 120_000);

  it('skips sections once the overall budget is spent', () => {
    const slow: ProbeSection = { ...hang, name: 'slow', snippet: '  sleep 3\n', timeoutSeconds: 10 };
    const { out } = run(['sh'], buildScript({ budgetSeconds: 1 }, [slow, after]));
    const f = parseProbeOutput(out, { host: 'h', sections: [slow, after] });
    expect(f.meta.truncated).toEqual(expect.arrayContaining(['after']));
    expect(f.uptimeSeconds).toBe(0);
  });
});
