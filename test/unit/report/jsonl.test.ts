import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { HostResult } from '../../../src/core/result.js';
import type { Target } from '../../../src/inventory/types.js';
import type { RunRecord } from '../../../src/run/types.js';
import { messageLine, recordLines, type JsonlLine } from '../../../src/report/jsonl.js';
import { sweepStream, verificationLines } from '../../../src/commands/jsonl.js';
import { hardenRun, hostileRun } from '../../fixtures/runs/hostile-run.js';
import { sweepExitCode } from '../../../src/sweep/exit-code.js';
import { sweepFleet } from '../../../src/sweep/sweep-fleet.js';
import type { RunFleet, Session } from '../../../src/transport/types.js';
import { catalogue, facts } from '../rules/fixtures.js';

// The --json stream against its documented schema (src/report/jsonl.schema.json), checked by
// a real JSON Schema 2020-12 validator (ajv), on a recorded run and on a sweep of fixtures.

const root = path.resolve(import.meta.dirname, '../../..');
const schema = JSON.parse(readFileSync(path.join(root, 'src/report/jsonl.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, validateFormats: false }).compile(schema);

function expectValid(lines: readonly JsonlLine[]): void {
  for (const l of lines) {
    // through the text a consumer reads, one line each
    const text = JSON.stringify(l);
    expect(text).not.toContain('\n');
    expect(text).not.toMatch(/[\u0000-\u001f\u007f]/);
    const ok = validate(JSON.parse(text));
    expect(ok, `${text.slice(0, 200)}\n${JSON.stringify(validate.errors)}`).toBe(true);
  }
}

const target = (name: string): Target => ({ name, address: '198.18.3.9', port: 22, user: 'root', groups: ['all'], vars: {}, become: false, becomeUser: 'root', hostKeyChecking: 'strict' });
const FIXTURE: Record<string, string> = { 'web\u001b[31m1': 'ddg', web2: 'clean', web3: 'pivot-only' };
const fakeFleet: RunFleet = async <T>(targets: Target[], fn: Parameters<RunFleet>[1], opts: { onHostEnd?: (r: HostResult<unknown>) => void }) => {
  const out: HostResult<T>[] = [];
  for (const t of targets) {
    const r: HostResult<T> = t.name === 'down'
      ? { host: t.name, status: 'unreachable', reason: 'connect ECONNREFUSED', startedAt: '', durationMs: 1 }
      : await fn({ target: t } as Session).then((x) => ({ host: t.name, status: x.status, ...(x.reason ? { reason: x.reason } : {}), value: x.value as T, startedAt: '', durationMs: 1 }));
    opts.onHostEnd?.(r);
    out.push(r);
  }
  return out;
};

describe('--json lines (minesweep.jsonl/1)', () => {
  it('a recorded sweep (test/fixtures/runs/sweep-recorded-facts) validates line by line', () => {
    const record = JSON.parse(readFileSync(path.join(root, 'test/fixtures/runs/sweep-recorded-facts/run.json'), 'utf8')) as RunRecord;
    const lines = recordLines(record, '/runs/x', sweepExitCode(record));
    expectValid(lines);
    expect(lines[0]).toMatchObject({ type: 'run', v: 1, schema: 'minesweep.jsonl/1' });
    expect(lines.at(-1)).toMatchObject({ type: 'summary', hosts: record.hosts.length, findings: record.hosts.reduce((n, h) => n + h.findings.length, 0) });
    expect(lines.filter((l) => l.type === 'host')).toHaveLength(record.hosts.length);
  });

  it('a sweep streams each host as it ends, then the hosts the fleet pivot changed, then final verdict counts', async () => {
    const lines: JsonlLine[] = [];
    const stream = sweepStream('sweep', (l) => lines.push(l));
    const r = await sweepFleet(['web\u001b[31m1', 'web2', 'web3', 'down'].map(target), {
      catalogue,
      fleet: { forks: 1 },
      runFleet: fakeFleet,
      events: stream,
      probe: async (s) => {
        // the stream has already told the hosts before this one
        expect(lines.filter((l) => l.type === 'host')).toHaveLength(Object.keys(FIXTURE).indexOf(s.target.name));
        return facts(FIXTURE[s.target.name]!);
      },
    });
    stream.end(r.record, r.runDir, sweepExitCode(r.record));
    expectValid(lines);
    expect(lines.map((l) => l.type)[0]).toBe('run');
    const hosts = lines.filter((l) => l.type === 'host');
    expect(hosts.map((h) => [h.host, h.stage])).toEqual([['web\u001b[31m1', 'sweep'], ['web2', 'sweep'], ['web3', 'sweep'], ['down', 'sweep'], ['web\u001b[31m1', 'fleet'], ['web3', 'fleet']]);
    // web3 alone is clean before the pivot, infected after it: its fleet line carries the final verdict
    expect(hosts[2]).toMatchObject({ verdict: 'clean', findings: 0 });
    expect(hosts[5]).toMatchObject({ verdict: 'infected' });
    const pivoted = lines.filter((l) => l.type === 'finding' && l.stage === 'fleet' && l.host === 'web3');
    expect(pivoted.length).toBeGreaterThan(0);
    expect(pivoted.every((f) => f.type === 'finding' && f.pivot?.seenOn.includes('web\u001b[31m1'))).toBe(true);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', verdicts: { infected: 2, clean: 1, unreachable: 1 }, status: { ok: 3, unreachable: 1 }, exitCode: 4 });
  });

  it('errors and warnings are typed lines too', () => {
    expectValid([messageLine('error', 'no inventory given', { usage: true }), messageLine('warning', 'pivot on h1: boom', { host: 'h1' })]);
    expect(validate({ type: 'host', v: 1, stage: 'sweep', host: 'h', status: 'ok' })).toBe(false); // a sweep host line needs its verdict
    expect(validate({ type: 'summary', v: 2, command: 'sweep', hosts: 0, status: {}, runDir: null, exitCode: 0 })).toBe(false);
  });

  it('remediate and harden end with every host at its verdict after the actions (cleaned, closed, reinfected) and its verification', () => {
    const rem = hostileRun();
    const lines = [...recordLines(rem, '/runs/x', 1), ...rem.hosts.flatMap((h) => verificationLines(h))];
    expectValid(lines);
    const verdict = Object.fromEntries(lines.filter((l) => l.type === 'host' && l.stage === 'fleet').map((l) => [(l as { host: string }).host, (l as { verdict?: string }).verdict]));
    expect(verdict).toMatchObject({ 'ddg-app02': 'reinfected', 'hostile-app03': 'cleaned', 'down-db06': 'unreachable' });
    expect(lines.some((l) => l.type === 'host' && l.stage === 'verify')).toBe(true);
    expectValid(recordLines(hardenRun(), '/runs/y', 0));
  });

  it('names every IOC type the report schema knows (a wallet on a lab miner failed the lab stream once)', () => {
    const text = readFileSync(path.join(root, 'src/report/report.schema.json'), 'utf8');
    const types = JSON.parse(/"enum": (\[[^\]]*"key-fingerprint"[^\]]*\])/.exec(text)![1]!) as string[];
    expect(types).toContain('wallet');
    for (const t of types) expectValid([{ type: 'finding', v: 1, stage: 'sweep', host: 'h', rule: 'r.x', severity: 'low', title: 't', evidence: [], iocs: [{ type: t as never, value: 'v' }], remedy: 'r' }]);
  });
});
