import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../src/catalogue/load.js';
import type { RawProbe } from '../../../src/probe/run-probe.js';
import { readHostFacts } from '../../../src/run/run-dir.js';
import { analysisPool } from '../../../src/sweep/analysis-pool.js';
import { analyzeOne, type HostAnalysisSetup } from '../../../src/sweep/host-analysis.js';

// The analysis pool on the probe outputs recorded from the lab hosts (test/fixtures/probe):
// the compiled worker (dist/, built before the tests) gives exactly what the in-process
// analysis gives, and a worker that dies fails only the host it held.

const FIX = path.resolve(__dirname, '../../fixtures/probe');
const WORKER = path.resolve(__dirname, '../../../dist/sweep/analysis-worker.js');
const DYING = path.resolve(__dirname, '../../fixtures/sweep/dying-worker.mjs');
const outputs = readdirSync(FIX).filter((f) => f.endsWith('.out') && !f.startsWith('local-')).sort();
const raw = (file: string, host = file.replace(/\.out$/, '')): RawProbe => ({ host, stdout: readFileSync(path.join(FIX, file)), stderrTail: '', code: 0, timedOut: false, timeoutMs: 120_000, durationMs: 1 });
const setupIn = (dir: string): HostAnalysisSetup => ({ analyze: { catalogue: loadCatalogue([]), trustedKeys: [] }, spill: dir, runDir: dir });

describe('analysis pool', () => {
  it('the worker threads give the in-process analysis of every recorded lab host, and write the same facts', async () => {
    expect(existsSync(WORKER), 'build first (npm run build): the pool runs dist/sweep/analysis-worker.js').toBe(true);
    expect(outputs.length).toBeGreaterThanOrEqual(10);
    const inDir = mkdtempSync(path.join(tmpdir(), 'pool-in-'));
    const poolDir = mkdtempSync(path.join(tmpdir(), 'pool-w-'));
    const pool = analysisPool(setupIn(poolDir), 2, WORKER);
    expect(pool.size).toBe(2);
    try {
      const viaPool = await Promise.all(outputs.map((f) => pool.analyze(raw(f))));
      outputs.forEach((f, i) => {
        const want = analyzeOne(raw(f), setupIn(inDir));
        const got = viaPool[i]!;
        expect(got.findings, f).toEqual(want.findings);
        expect(got.incomplete).toEqual(want.incomplete);
        expect(got.signature).toEqual(want.signature);
        expect(Buffer.isBuffer(got.index!.z) && got.index!.z.equals(want.index!.z)).toBe(true);
        const host = f.replace(/\.out$/, '');
        expect(readHostFacts(poolDir, host)).toEqual(readHostFacts(inDir, host));
      });
      // the infected scenarios are found through the worker too
      expect(viaPool.filter((a) => a.findings.some((x) => x.severity === 'critical')).length).toBeGreaterThanOrEqual(6);
    } finally {
      await pool.close();
    }
  });

  it('a worker that dies fails only the host it held; the next host gets a fresh worker', async () => {
    expect(existsSync(WORKER), 'build first (npm run build)').toBe(true);
    const dir = mkdtempSync(path.join(tmpdir(), 'pool-die-'));
    const pool = analysisPool(setupIn(dir), 1, DYING);
    try {
      const before = await pool.analyze(raw('ddg.out', 'a'));
      await expect(pool.analyze(raw('ddg.out', 'die'))).rejects.toThrow(/analysis worker exited \(code 7\)/);
      const after = await pool.analyze(raw('ddg.out', 'b'));
      expect(after.findings.map((f) => f.rule)).toEqual(before.findings.map((f) => f.rule));
      expect(after.findings.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });

  it('output that is no probe output is a host failure with the reason, not a crash', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pool-bad-'));
    const pool = analysisPool(setupIn(dir), 1, WORKER);
    try {
      await expect(pool.analyze({ ...raw('ddg.out', 'x'), stdout: Buffer.from('sh: 1: not found\n'), code: 127, stderrTail: 'sh: not found' })).rejects.toThrow(/x: the probe printed no output \(exit 127\): sh: not found/);
      expect((await pool.analyze(raw('clean.out', 'y'))).incomplete).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('a sweep of the recorded lab hosts on the pool (pivot included) records what the in-process sweep records', async () => {
    expect(existsSync(WORKER), 'build first (npm run build)').toBe(true);
    // the built sweep: its pool finds the compiled worker next to it
    const dist = path.resolve(__dirname, '../../../dist');
    const { sweepFleet } = (await import(path.join(dist, 'sweep/sweep-fleet.js'))) as typeof import('../../../src/sweep/sweep-fleet.js');
    const names = outputs.map((f) => f.replace(/\.out$/, ''));
    const targets = names.map((name) => ({ name, address: '198.18.3.9', port: 22, user: 'root', groups: ['all'], vars: {}, become: false, becomeUser: 'root', hostKeyChecking: 'strict' as const }));
    const runFleet = (async (ts: typeof targets, fn: (s: unknown) => Promise<{ status: string; value?: unknown; reason?: string }>) =>
      Promise.all(ts.map(async (t) => ({ host: t.name, startedAt: '', durationMs: 1, ...(await fn({ target: t })) })))) as never;
    const probeExec = async (session: { target: { name: string } }) => raw(`${session.target.name}.out`);
    const { factsFromOutput } = (await import(path.join(dist, 'probe/run-probe.js'))) as typeof import('../../../src/probe/run-probe.js');
    // an injected probe returns facts: analysed and pivoted in-process, the facts read back on the main thread
    const probe = async (session: { target: { name: string } }) => factsFromOutput(raw(`${session.target.name}.out`));
    const sweep = async (workers: number | 'facts') => {
      const how = workers === 'facts' ? { probe: probe as never } : { probeExec: probeExec as never, workers };
      const r = await sweepFleet(targets, { catalogue: loadCatalogue([]), fleet: { forks: 4 }, out: mkdtempSync(path.join(tmpdir(), `pool-sweep-${workers}-`)), runFleet, ...how, times: { startedAt: 'x', finishedAt: 'y' }, runId: 'r' });
      return { hosts: r.record.hosts.map((h) => ({ ...h, address: '' })), iocs: r.record.iocs, errors: r.errors, evidence: readdirSync(path.join(r.runDir!, 'evidence')).sort() };
    };
    const [mainThread, inProcess, onPool] = [await sweep('facts'), await sweep(0), await sweep(2)];
    expect(inProcess).toEqual(mainThread);
    expect(onPool).toEqual(mainThread);
    // the pivot found hosts through the indicators of others
    expect(onPool.hosts.some((h) => h.findings.some((f) => f.pivot))).toBe(true);
    expect(onPool.errors).toEqual([]);
  });
});
