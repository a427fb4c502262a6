import { describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkStream } from '../../helpers/jsonl.js';

// The CLI's own contract, run as a user runs it (dist/cli.js): usage and configuration
// errors exit 2 — commander's included — never 1 ("findings"); --help, --version and
// --list-hosts exit 0; one option vocabulary (-o/--output, --out kept as its alias).

// each case spawns node: generous time on a loaded machine
vi.setConfig({ testTimeout: 180_000 });
const root = path.resolve(import.meta.dirname, '../../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ms-cli-'));
const inv = path.join(tmp, 'inv.yml');
writeFileSync(inv, 'all:\n  children:\n    web:\n      hosts:\n        web1: {ansible_host: 127.0.0.1}\n        "web2$(id)": {ansible_host: 127.0.0.1}\n    db:\n      hosts:\n        db1:\n');

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, ANSIBLE_CONFIG: '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('exit codes', () => {
  it.each([
    [['sweep', '--bogus']],
    [['sweeep']],
    [['--nope']],
    [['exec', '-i', inv]],
    [['sweep']],
    [['remediate', '-i', inv, '--check', '--apply']],
    [['ping', '-i', inv, '--forks', 'x']],
    [['ping', '-i', inv, '--limit', 'nosuchgroup']],
    [['lab']],
    [[]],
  ])('%j is a usage error: exit 2', (args) => {
    const r = cli(args);
    expect(r.code, r.err).toBe(2);
    expect(r.err).not.toBe('');
  });
  it('a typo gets a suggestion', () => {
    expect(cli(['sweeep']).err).toMatch(/Did you mean sweep\?/);
  });
  it('a malformed ansible.cfg is a configuration error (exit 2) naming the file and line', () => {
    const cfg = path.join(tmp, 'bad.cfg');
    writeFileSync(cfg, '[defaults]\nhost_key_checking = sometimes\n');
    const r = cli(['ping', '-i', inv], { ANSIBLE_CONFIG: cfg });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${cfg}:2 (host_key_checking): expected a boolean`);
  });
  it('--help and --version exit 0; defaults are shown in --help', () => {
    expect(cli(['--version']).code).toBe(0);
    const h = cli(['sweep', '--help']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/--timeout <sec>.*\(default: "120"\)/s);
    expect(h.out).toMatch(/-o, --output <path>.*\(default: runs\)/s);
    expect(h.out).toMatch(/-f, --forks <n>.*default: 50/s);
    for (const o of ['-u, --user', '--private-key', '-F, --ssh-config', '--ssh-common-args', '-v, --verbose', '--check', '--list-hosts']) expect(h.out).toContain(o);
  });
});

describe('--list-hosts', () => {
  it('prints the selected hosts (names escaped) and exits 0 without connecting, on every fleet command', () => {
    for (const cmd of [['ping'], ['sweep'], ['exec', 'true'], ['remediate'], ['harden'], ['hosts']]) {
      const r = cli([...cmd, '-i', inv, '--limit', 'web', '--list-hosts']);
      expect(r.code, `${cmd[0]}: ${r.err}`).toBe(0);
      expect(r.out).toBe('  hosts (2):\n    web1\n    web2$(id)\n');
    }
    const j = cli(['ping', '-i', inv, '--list-hosts', '--json']);
    const { lines, problems } = checkStream(j.out, 'ping', 0);
    expect(problems).toEqual([]);
    expect(lines.filter((l) => l.type === 'host').map((l) => l.host)).toEqual(['web1', 'web2$(id)', 'db1']);
  });
  it('ANSIBLE_INVENTORY stands in for -i', () => {
    expect(cli(['ping', '--list-hosts', '--limit', 'db'], { ANSIBLE_INVENTORY: inv }).out).toBe('  hosts (1):\n    db1\n');
  });
});

describe('option vocabulary', () => {
  it('-o/--output and the older --out mean the same (iocs, report)', () => {
    for (const o of ['-o', '--output', '--out']) {
      const r = cli(['iocs', path.join(tmp, 'no-such-run'), o, path.join(tmp, 'x.yml')]);
      expect(r.code).toBe(2);
      expect(r.err).not.toMatch(/unknown option/);
    }
  });
});

describe('remediate --from', () => {
  it('names the selected hosts the run does not hold (escaped), instead of leaving them out silently', () => {
    const from = path.join(root, 'test/fixtures/runs/sweep-recorded-facts');
    const two = path.join(tmp, 'from-two.yml');
    // clean1 is in the recorded run; the other is not (and is never connected to: nothing to clean)
    writeFileSync(two, 'all:\n  hosts:\n    clean1: {ansible_host: 127.0.0.1}\n    "ghost\\u001bX": {ansible_host: 127.0.0.1}\n');
    const r = cli(['remediate', '--from', from, '-i', two, '-o', path.join(tmp, 'runs-from')]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.err).toContain('1 selected host(s) not in');
    expect(r.err).toContain('not remediated: ghost\\eX');
    expect(r.err).not.toContain('\u001b');
  });
});
