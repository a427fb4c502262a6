import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunRecord } from '../../src/run/types.js';
import { getLab, labSkipReason, type LabHandle } from '../helpers/lab.js';

// `minesweep run` on the lab (issue 5, "A user-written playbook (a test fixture) with vars,
// when, register, a template and tags runs as specified, twice, with no changes the second
// time"; check mode changes nothing). Uses a few lab hosts and only /etc/minesweep-demo on
// them, removed again at the end.

const CLI = path.resolve(import.meta.dirname, '../../dist/cli.js');
const PLAYBOOK = path.resolve(import.meta.dirname, '../fixtures/playbooks/user/site.yml');
const DIR = '/etc/minesweep-demo';

let lab: LabHandle;
let hosts: string[];
let web: Set<string>;
let runs: string;

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const run = (...extra: string[]) => cli(['run', PLAYBOOK, '-i', lab.inventoryPath, '--limit', hosts.join(':'), '-o', runs, ...extra]);

/** host → `name sha256 mode` of every file under DIR ('' when DIR is absent), read without SSH. */
async function listing(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const h of hosts) {
    const r = await lab.exec(h, `[ -d ${DIR} ] || exit 0; cd ${DIR} && for f in *; do printf '%s %s %s\\n' "$f" "$(sha256sum < "$f" | cut -c1-16)" "$(stat -c %a "$f")"; done`);
    out.set(h, r.stdout);
  }
  return out;
}

function recap(stdout: string): Map<string, Record<string, number>> {
  const m = new Map<string, Record<string, number>>();
  for (const line of stdout.split('\n')) {
    const x = /^(\S+)\s+: (.*)$/.exec(line);
    if (!x || !x[2]!.includes('ok=')) continue;
    m.set(x[1]!, Object.fromEntries(x[2]!.split(' ').map((kv) => [kv.split('=')[0]!, Number(kv.split('=')[1])])));
  }
  return m;
}

const runRecord = (stdout: string): RunRecord => JSON.parse(readFileSync(/run record: (\S+)/.exec(stdout)![1]!, 'utf8')) as RunRecord;

describe.skipIf(labSkipReason())('minesweep run: a user-written playbook on the lab', () => {
  beforeAll(async () => {
    lab = await getLab();
    const visible = lab.groundTruth.hosts.filter((h) => !h.hidden && h.scenario !== 'pool');
    const w = visible.filter((h) => h.groups.includes('web')).slice(0, 1);
    const others = visible.filter((h) => !w.includes(h)).slice(0, 3 - w.length);
    hosts = [...w, ...others].map((h) => h.name);
    web = new Set(w.map((h) => h.name));
    runs = mkdtempSync(path.join(tmpdir(), 'ms-e2e-play-'));
    for (const h of hosts) await lab.exec(h, `rm -rf ${DIR}`);
  });
  afterAll(async () => {
    // our files, and what `file state: absent` moved into this test's runs' quarantine directories
    const ids = runs ? readdirSync(runs).filter((n) => /^[0-9TZ]+-[0-9a-f]+$/.test(n)) : [];
    for (const h of hosts ?? []) await lab?.exec(h, [`rm -rf ${DIR}`, ...ids.map((id) => `rm -rf /var/lib/minesweep/quarantine/${id}`)].join('; '));
  });

  test('a malformed playbook is refused before anything runs, with file:line', () => {
    const bad = path.join(runs, 'bad.yml');
    writeFileSync(bad, '- hosts: all\n  tasks:\n    - name: typo\n      lineinfle: {path: /etc/x, line: y}\n');
    const r = cli(['run', bad, '-i', lab.inventoryPath, '--limit', hosts.join(':'), '-o', runs]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:4:7: unknown module or task keyword "lineinfle"`);
    expect(r.stderr).toContain('did you mean "lineinfile"?');
  });

  test('check mode plans with diffs and changes nothing', async () => {
    const r = run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('check mode');
    expect(r.stdout).toContain('+Incident INC-2026-042 is under investigation');
    for (const h of hosts) expect(recap(r.stdout).get(h)).toMatchObject({ changed: web.has(h) ? 5 : 4, failed: 0, unreachable: 0 });
    for (const [, l] of await listing()) expect(l).toBe('');
  });

  test('--apply runs as specified; vars, when, register, template and tags all apply', async () => {
    const r = run('--apply');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of hosts) {
      expect(recap(r.stdout).get(h)).toMatchObject({ changed: web.has(h) ? 5 : 4, failed: 0, skipped: web.has(h) ? 0 : 1 });
      const hn = (await lab.exec(h, 'cat /etc/hostname')).stdout.trim();
      const banner = (await lab.exec(h, `cat ${DIR}/banner`)).stdout;
      expect(banner).toBe(`Authorized use only\nIncident INC-2026-042 is under investigation\nHost: ${hn}\nContact: Security team <sec@example.com>\n`);
      expect((await lab.exec(h, `cat ${DIR}/app.conf; stat -c %a ${DIR}/app.conf`)).stdout).toBe('incident=INC-2026-042\n600\n');
      expect((await lab.exec(h, `cat ${DIR}/stamp`)).stdout).toBe('INC-2026-042\n');
      expect((await lab.exec(h, `cat ${DIR}/role 2>/dev/null || echo none`)).stdout).toBe(web.has(h) ? 'web\n' : 'none\n');
    }
    expect(r.stdout).toMatch(/ok: \[\S+\] Say which incident the stamp names — stamp says INC-2026-042/);
    const rec = runRecord(r.stdout);
    expect(rec.command).toBe('run');
    expect(rec.apply).toBe(true);
    const tasks = rec.hosts.find((h) => h.name === hosts[0])!.tasks;
    expect(tasks.map((t) => t.task)).toContain('Banner from a template');
    expect(tasks.find((t) => t.task === 'Banner from a template')!.steps[0]!.exitCode).toBe(0);
  });

  test('a second --apply changes nothing', async () => {
    const before = await listing();
    const r = run('--apply');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of hosts) expect(recap(r.stdout).get(h)).toMatchObject({ changed: 0, failed: 0 });
    expect(await listing()).toEqual(before);
  });

  test('check mode after a change on the host shows the diff and still touches nothing', async () => {
    await lab.exec(hosts[0]!, `sed -i 's/^incident=.*/incident=OLD/' ${DIR}/app.conf`);
    const before = await listing();
    const r = run('--tags', 'config');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-incident=OLD\n');
    expect(r.stdout).toContain('+incident=INC-2026-042');
    expect(recap(r.stdout).get(hosts[0]!)).toMatchObject({ changed: 1 });
    expect(await listing()).toEqual(before);
  });

  test('tags: only the selected tasks run; a never-tagged task runs only when named', async () => {
    const r = run('--apply', '--tags', 'config', '-e', 'incident=INC-2026-043');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Stamp the first run');
    for (const h of hosts) expect((await lab.exec(h, `cat ${DIR}/app.conf; cat ${DIR}/stamp`)).stdout).toBe('incident=INC-2026-043\nINC-2026-042\n');
    const c = run('--apply', '--tags', 'cleanup');
    expect(c.code).toBe(0);
    for (const h of hosts) expect((await lab.exec(h, `[ -e ${DIR}/stamp ] && echo there || echo gone`)).stdout).toBe('gone\n');
    // not deleted: moved into the run's quarantine directory on the host
    const id = runRecord(c.stdout).id;
    for (const h of hosts) expect((await lab.exec(h, `cat /var/lib/minesweep/quarantine/${id}/file_etc_minesweep-demo_stamp`)).stdout).toBe('INC-2026-042\n');
  });
});
