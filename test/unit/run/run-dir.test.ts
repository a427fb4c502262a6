import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeLossless, decodeLossless } from '../../../src/core/bytes.js';
import { parseCatalogueText } from '../../../src/catalogue/load.js';
import { writeHostEvidence } from '../../../src/run/evidence.js';
import { iocFileText } from '../../../src/run/ioc-file.js';
import { createRunDir, readAllFacts, readHostFacts, readRunRecord, RunDirError, writeHostFacts, writeRunRecord } from '../../../src/run/run-dir.js';
import { newRunId } from '../../../src/run/run-id.js';
import { safeName } from '../../../src/run/safe-name.js';
import { RUN_SCHEMA, type RunRecord } from '../../../src/run/types.js';
import { analyzeFleet } from '../../../src/detect/analyze-fleet.js';
import { catalogue, facts } from '../rules/fixtures.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'runs-'));
const HOSTILE = decodeLossless(Buffer.from([0x2f, 0x74, 0x6d, 0x70, 0x2f, 0x0a, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x27, 0x22, 0xff, 0xfe, 0x20, 0x24, 0x28, 0x78, 0x29])); // "/tmp/\n\e[31m'\"\xff\xfe $(x)"

function record(hosts: RunRecord['hosts'] = []): RunRecord {
  return { schema: RUN_SCHEMA, id: 'x', command: 'sweep', argv: [], apply: false, startedAt: '', finishedAt: '', inventory: [], controller: { hostname: 'h', version: '0' }, hosts, iocs: [{ type: 'ip', value: '198.18.3.202', family: 'ddg', source: 'ddg1' }] };
}

describe('run directory', () => {
  it('ids sort by UTC time', () => {
    expect(newRunId(new Date('2026-11-23T09:45:01.123Z'), 'abc123')).toBe('20261123T094501Z-abc123');
  });
  it('safe names never escape the directory and never collide', () => {
    expect(safeName('web01')).toBe('web01');
    expect(safeName('../../etc/passwd')).not.toContain('/');
    expect(safeName('a/b')).not.toBe(safeName('a_b'));
  });
  it('run.json round-trips and a bad one says what to do', () => {
    const dir = createRunDir(tmp(), 'r1');
    writeRunRecord(dir, record());
    expect(readRunRecord(dir).iocs).toHaveLength(1);
    expect(() => readRunRecord(tmp())).toThrow(RunDirError);
  });
  it('facts with hostile names round-trip byte-exact; evidence files hold the original bytes', () => {
    const dir = createRunDir(tmp(), 'r2');
    const f = facts('ddg');
    f.cron[f.cron.length - 1]!.path = `/var/spool/cron/${HOSTILE}`;
    f.cron[f.cron.length - 1]!.content += `* * * * * ${HOSTILE}x\n`;
    writeHostFacts(dir, f);
    expect(readHostFacts(dir, 'ddg1')!.cron.at(-1)!.path).toBe(`/var/spool/cron/${HOSTILE}`);
    expect(readAllFacts(dir)).toHaveLength(1);
    const findings = analyzeFleet([f], { catalogue }).findings.get('ddg1')!;
    expect(findings.some((x) => x.artifacts.some((a) => a.type === 'cron-line' && a.path === `/var/spool/cron/${HOSTILE}`))).toBe(true);
    const ev = writeHostEvidence(dir, f, findings);
    const copy = ev.files.find((e) => e.hostPath === `/var/spool/cron/${HOSTILE}`)!;
    expect(readFileSync(path.join(dir, copy.file))).toEqual(encodeLossless(f.cron.at(-1)!.content));
    expect(ev.hashes.map((h) => h.path)).toEqual(expect.arrayContaining(['/tmp/ddg.2021', '/tmp/wnTKYg']));
    expect(readdirSync(path.join(dir, 'evidence', 'ddg1'))).toEqual(['files', 'index.json']);
  });
  it('the iocs export is a valid --ioc file with the same indicators', () => {
    const text = iocFileText(record());
    const { catalogue: c, errors } = parseCatalogueText(text, 'export.yml');
    expect(errors).toEqual([]);
    expect(c.iocs).toEqual([{ type: 'ip', value: '198.18.3.202', family: 'ddg', source: 'ddg1' }]);
  });
});
