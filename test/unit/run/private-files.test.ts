import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeReport } from '../../../src/report/write-report.js';
import { writePrivate, mkdirPrivate } from '../../../src/run/private-files.js';
import { createRunDir, writeEvidenceFile, writeRunRecord, writeSummary } from '../../../src/run/run-dir.js';
import { RUN_SCHEMA, type HostRun, type RunRecord } from '../../../src/run/types.js';
import { noteHostDone, noteOpenRun, writeUnfinishedRecords } from '../../../src/run/unfinished.js';
import { lastResort } from '../../../src/commands/last-resort.js';
import '../../../src/commands/run-report.js';

// The run directory holds copies of crontabs, authorized_keys and argv: created private
// (0700 dirs, 0600 files) whatever the umask, and a file written again is narrowed, never
// left wide. And a run that cannot finish still leaves its run.json (the last-resort guard).

const tmp = () => mkdtempSync(path.join(tmpdir(), 'ms-private-'));
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
const host = (name: string, status: HostRun['status'] = 'failed'): HostRun => ({ name, address: `${name}:22`, groups: ['all'], status, findings: [], tasks: [], quarantine: [] });
const record = (hosts: HostRun[]): RunRecord => ({ schema: RUN_SCHEMA, id: 'r', command: 'sweep', argv: [], apply: false, startedAt: '2026-12-01T00:00:00.000Z', finishedAt: '2026-12-01T00:00:00.000Z', inventory: [], controller: { hostname: 'c', version: '0' }, hosts, iocs: [] });

/** every entry under `dir` whose mode is not 0700 (dirs) / 0600 (files) */
function wide(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (mode(p) !== '700') out.push(`${p} ${mode(p)}`);
      out.push(...wide(p));
    } else if (mode(p) !== '600') out.push(`${p} ${mode(p)}`);
  }
  return out;
}

const umask = process.umask();
afterEach(() => void process.umask(umask));

describe('private run directory', () => {
  it('created 0700/0600 even with umask 000: run.json, evidence, summary, report', () => {
    process.umask(0);
    const root = tmp();
    const dir = createRunDir(root, 'r1');
    writeRunRecord(dir, record([host('web01', 'ok')]));
    writeEvidenceFile(dir, 'web01', '/var/spool/cron/crontabs/root', '* * * * * curl x | sh\n');
    writeSummary(dir, 'summary\n');
    writeReport(dir);
    expect(existsSync(path.join(dir, 'report.html'))).toBe(true);
    expect(mode(dir)).toBe('700');
    expect(wide(dir)).toEqual([]);
  });

  it('a file already there with 0644 is narrowed to 0600 before its bytes change', () => {
    const d = tmp();
    const f = path.join(d, 'x.json');
    writeFileSync(f, 'old');
    chmodSync(f, 0o644);
    writePrivate(f, 'new');
    expect([mode(f), readFileSync(f, 'utf8')]).toEqual(['600', 'new']);
    mkdirPrivate(path.join(d, 'a', 'b'));
    expect([mode(path.join(d, 'a')), mode(path.join(d, 'a', 'b'))]).toEqual(['700', '700']);
  });
});

describe('unfinished run record (last resort)', () => {
  it('a run without run.json gets one: hosts done keep their entry, the others failed with the reason; one already recorded is left alone', () => {
    const dir = createRunDir(tmp(), 'r2');
    noteOpenRun(dir, record([host('a'), host('b')]));
    noteHostDone(dir, host('a', 'ok'));
    const done = createRunDir(tmp(), 'r3');
    noteOpenRun(done, record([host('c')]));
    writeRunRecord(done, record([host('c', 'ok')]));
    const written: Array<{ dir: string; rec: RunRecord }> = [];
    expect(writeUnfinishedRecords('internal error: boom', (d, rec) => void written.push({ dir: d, rec }))).toEqual([dir]);
    const hosts = written[0]!.rec.hosts;
    expect(hosts.map((h) => [h.name, h.status])).toEqual([['a', 'ok'], ['b', 'failed']]);
    expect(hosts[1]!.reason).toBe("the run ended before this host's result was recorded: internal error: boom");
    expect(writeUnfinishedRecords('again', () => undefined)).toEqual([]);
  });

  it('the last-resort guard of a command that writes reports records the open run and renders its report', () => {
    const dir = createRunDir(tmp(), 'r4');
    noteOpenRun(dir, record([host('a'), host('b')]));
    noteHostDone(dir, host('a', 'ok'));
    const guard = lastResort(); // commands/run-report (imported above, as every run-writing command does) renders it
    const stderr = process.stderr.write;
    const said: string[] = [];
    process.stderr.write = ((m: string) => void said.push(m)) as typeof process.stderr.write;
    try {
      guard.fail('internal error: boom');
    } finally {
      process.stderr.write = stderr;
      guard.done();
      process.exitCode = 0;
    }
    expect(said.join('')).toContain(`run: ${dir} (recorded as unfinished)`);
    expect(JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')).hosts.map((h: HostRun) => h.status)).toEqual(['ok', 'failed']);
    expect(existsSync(path.join(dir, 'report.html')) && existsSync(path.join(dir, 'report.json'))).toBe(true);
  });
});
