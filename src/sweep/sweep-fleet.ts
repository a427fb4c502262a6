import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Catalogue } from '../catalogue/types.js';
import type { HostResult } from '../core/result.js';
import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import { hostVerdict } from '../findings/verdict.js';
import { intrusionTime } from '../findings/evidence-time.js';
import { markerRegex } from '../catalogue/marker-regex.js';
import { internSignature, stackFleet, type StackEntry } from '../rules/fleet/stacking.js';
import type { Target } from '../inventory/types.js';
import { collectIocs, pivotCandidates } from '../pivot/pivot.js';
import { openPivotIndex } from '../pivot/pivot-index.js';
import type { AnalyzeOptions } from '../rules/analyze-host.js';
import { createRunDir, writeRunRecord, writeSummary } from '../run/run-dir.js';
import { newRunId } from '../run/run-id.js';
import { noteHostDone, noteOpenRun } from '../run/unfinished.js';
import { newHostRun, newRunRecord } from '../run/new-record.js';
import { type HostRun, type MergeRecord, type RunRecord, type ShardRecord } from '../run/types.js';
import { catalogueDigest } from '../catalogue/digest.js';
import { runFleet as transportRunFleet } from '../transport/fleet.js';
import type { FleetOptions, RunFleet, Session } from '../transport/types.js';
import { consoleText } from './console.js';
import { controllerKeyFingerprints } from './controller-keys.js';
import type { ProbeFn, ProbeRequest } from './probe-loader.js';
import { analysisPool } from './analysis-pool.js';
import { analyzeOne, pivotFacts, type HostAnalysis, type HostAnalysisSetup, type PivotJob } from './host-analysis.js';
import { execProbe, type RawProbe } from '../probe/run-probe.js';

export interface SweepOptions {
  catalogue: Catalogue;
  /** transport options (forks, timeouts, host keys …) */
  fleet: FleetOptions;
  /** --since in seconds */
  sinceSeconds?: number;
  become?: boolean;
  /** runs root: when set, the run directory is written there */
  out?: string;
  /** for the record */
  command?: string;
  argv?: string[];
  inventory?: string[];
  /** injectable for tests and the benchmark; default: the transport's runFleet, and execProbe with the output parsed on the analysis pool */
  runFleet?: RunFleet;
  probe?: ProbeFn;
  /** the probe's exec only (its output is parsed on the analysis pool); default execProbe */
  probeExec?: (session: Session, req: ProbeRequest) => Promise<RawProbe>;
  /** analysis worker threads (default: one per core but the main thread's; 0: in-process) */
  workers?: number;
  /** extra trusted key fingerprints (the controller's keys are added automatically) */
  trustedKeys?: string[];
  /** hosts that could not even be targeted (already failed), recorded as such */
  problems?: HostResult<never>[];
  /**
   * keep every host's facts in memory (SweepResult.facts) — harden plans from them. Off, a
   * host's facts go to disk as soon as its rules ran (the run dir, else a temporary dir) and
   * only its findings and a deflated pivot index stay: memory stays flat on 1,000 hosts.
   */
  keepFacts?: boolean;
  /** --shard: recorded in run.json (with what the rules ran with) so `merge` can join the shards */
  shard?: ShardRecord;
  /** merge: the run's id, directory and times are given (deterministic), and what was joined */
  runId?: string;
  runDir?: string;
  times?: { startedAt: string; finishedAt: string };
  merged?: MergeRecord;
  /** told as the run goes: its start (id, directory), then each host as it ends, before the fleet pivot */
  events?: SweepEvents;
}

export interface SweepEvents {
  start?(id: string, runDir: string | undefined, startedAt: string): void;
  /** the host as its probe and rules ended: findings and verdict before the fleet pivot and stacking */
  host?(h: HostRun): void;
}

export interface SweepResult {
  record: RunRecord;
  /** facts of every host that answered, by host name (empty unless keepFacts) */
  facts: Map<string, HostFacts>;
  results: HostResult<unknown>[];
  runDir?: string;
  /** what the console shows (also summary.txt) */
  summary: string;
  /** rules that threw, as messages */
  errors: string[];
}

function earliest(findings: Finding[]): number | undefined {
  const times = findings.flatMap((f) => f.evidence.flatMap((e) => { const t = intrusionTime(e); return t === undefined ? [] : [t]; }));
  return times.length ? Math.min(...times) : undefined;
}

/**
 * The read-only sweep: one probe exec per host, rules as each host answers, the fleet pivot,
 * run record (and, with `out`, the run directory). Reused by harden and the benchmark.
 */
export async function sweepFleet(targets: Target[], opts: SweepOptions): Promise<SweepResult> {
  const started = new Date();
  const t0 = Date.now();
  const familyPaths = [...new Set(opts.catalogue.families.flatMap((f) => f.paths))];
  const markers = markerRegex(opts.catalogue);
  const runFleet = opts.runFleet ?? transportRunFleet;
  const id = opts.runId ?? newRunId(started);
  const runDir = opts.runDir ? createRunDir(path.dirname(opts.runDir), path.basename(opts.runDir)) : opts.out ? createRunDir(opts.out, id) : undefined;
  const startedAt = opts.times?.startedAt ?? started.toISOString();
  // where facts wait for the pivot: the run dir, or a private temporary dir removed at the end
  const spill = runDir ?? (opts.keepFacts ? undefined : mkdtempSync(path.join(tmpdir(), 'minesweep-facts-')));
  const kept = new Map<string, HostFacts>();
  // fleet stacking's entries, one object per distinct entry across the fleet
  const entries = new Map<string, StackEntry>();
  const analyze: AnalyzeOptions = {
    catalogue: opts.catalogue,
    trustedKeys: [...controllerKeyFingerprints(targets), ...(opts.trustedKeys ?? [])],
    ...(opts.sinceSeconds !== undefined ? { sinceSeconds: opts.sinceSeconds } : {}),
  };
  const shard = (complete: boolean): Pick<RunRecord, 'shard' | 'merged'> => ({
    ...(opts.shard ? { shard: { ...opts.shard, complete, analysis: { trustedKeys: [...new Set(analyze.trustedKeys)].sort(), ...(opts.sinceSeconds !== undefined ? { sinceSeconds: opts.sinceSeconds } : {}), catalogue: catalogueDigest(opts.catalogue) } } } : {}),
    ...(opts.merged ? { merged: opts.merged } : {}),
  });
  // what the run directory's record says if the run cannot finish (commands/last-resort.ts)
  if (runDir)
    noteOpenRun(runDir, newRunRecord({ id, command: opts.command ?? 'sweep', argv: opts.argv ?? [], apply: false, startedAt, inventory: opts.inventory ?? [], hosts: targets.map((t) => newHostRun(t, 'failed')), ...shard(false) }));
  opts.events?.start?.(id, runDir, startedAt);
  const byName = new Map(targets.map((t) => [t.name, t]));
  const told = new Set<string>();
  const tell = (r: HostResult<unknown>, analysis: HostAnalysis | undefined): void => {
    if (!opts.events?.host || told.has(r.host)) return;
    told.add(r.host);
    opts.events.host(hostRunOf(r, byName.get(r.host), analysis));
  };
  for (const p of opts.problems ?? []) tell(p, undefined);
  const setup: HostAnalysisSetup = { analyze, ...(spill ? { spill } : {}), ...(runDir ? { runDir } : {}), ...(opts.keepFacts ? { keepFacts: true } : {}) };
  // the default probe's output is parsed on worker threads; an injected probe's facts in-process
  const pool = analysisPool(setup, opts.probe ? 0 : opts.workers);
  try {
    const results = await runFleet<HostAnalysis>(
      targets,
      async (session) => {
        const request: ProbeRequest = {
          ...(opts.sinceSeconds !== undefined ? { sinceSeconds: opts.sinceSeconds } : {}),
          ...(opts.become || session.target.become ? { become: true } : {}),
          ...(opts.fleet.commandTimeoutMs ? { timeoutMs: opts.fleet.commandTimeoutMs } : {}),
          paths: familyPaths,
          markerRegex: markers,
        };
        let value: HostAnalysis;
        try {
          if (!opts.probe) value = await pool.analyze(await (opts.probeExec ?? execProbe)(session, request));
          else {
            const facts = await opts.probe(session, request);
            facts.host = session.target.name;
            value = analyzeOne(facts, setup);
          }
        } catch (e) {
          return { status: 'failed', reason: `probe failed: ${(e as Error).message}` };
        }
        if (value.facts) kept.set(session.target.name, value.facts);
        delete value.facts;
        value.signature = internSignature(value.signature, entries);
        if (runDir) noteHostDone(runDir, { ...newHostRun(session.target, 'ok', value.findings), ...(value.incomplete.length ? { incomplete: value.incomplete } : {}) });
        return { status: 'ok', value };
      },
      { ...opts.fleet, onHostEnd: (r) => { opts.fleet.onHostEnd?.(r); tell(r, r.status === 'ok' ? (r.value as HostAnalysis | undefined) : undefined); } },
    );
    // a runFleet that does not report hosts as they end (tests, the benchmark): told now
    for (const r of results) tell(r, r.status === 'ok' ? r.value : undefined);
    results.unshift(...(opts.problems ?? []));
    const swept = new Map<string, HostAnalysis>();
    for (const r of results) if (r.status === 'ok' && r.value) swept.set(r.host, r.value);
    // facts kept in memory (keepFacts) are matched here; else the pool reads them back from the spill dir
    await pivot(swept, (job) => {
      const facts = kept.get(job.host);
      return facts ? pivotFacts(facts, job, runDir) : pool.pivot(job);
    });

    stack(swept, byName);
    const hosts: HostRun[] = results.map((r) => hostRunOf(r, byName.get(r.host), swept.get(r.host)));
    const iocs = collectIocs(hosts.flatMap((h) => h.findings)).map((x) => x.ioc);
    const record: RunRecord = newRunRecord({ id, command: opts.command ?? 'sweep', argv: opts.argv ?? [], apply: false, startedAt, finishedAt: opts.times?.finishedAt ?? new Date().toISOString(), inventory: opts.inventory ?? [], hosts, iocs, ...shard(true) });
    const errors = [...swept.values()].flatMap((s) => s.errors);
    for (const r of results) delete r.value;
    const out: SweepResult = { record, facts: kept, results, summary: '', errors };
    const seconds = (Date.now() - t0) / 1000;
    if (runDir) {
      writeRunRecord(runDir, record);
      out.runDir = runDir;
    }
    out.summary = consoleText(record, seconds, out.runDir);
    if (out.runDir) writeSummary(out.runDir, out.summary);
    return out;
  } finally {
    await pool.close();
    if (spill && spill !== runDir) rmSync(spill, { recursive: true, force: true });
  }
}

/** One host's record from its result and analysis, judged. */
function hostRunOf(r: HostResult<unknown>, t: Target | undefined, analysis: HostAnalysis | undefined): HostRun {
  const findings = analysis?.findings ?? [];
  const h: HostRun = {
    name: r.host,
    address: t ? `${t.address}:${t.port}` : '',
    groups: t?.groups ?? [],
    status: r.status,
    findings,
    tasks: [],
    quarantine: [],
  };
  if (r.reason) h.reason = r.reason;
  if (r.connectRetries) h.connectRetries = r.connectRetries;
  const incomplete = analysis?.incomplete ?? [];
  if (incomplete.length) h.incomplete = incomplete;
  const v = hostVerdict({ status: h.status, findings, incomplete });
  h.verdict = v.verdict;
  h.verdictWhy = v.why;
  const e = earliest(findings);
  if (e !== undefined) h.earliestEvidence = e;
  return h;
}

/** Fleet stacking: what is rare in a host's group raises its findings, or becomes one of its own. */
function stack(swept: Map<string, HostAnalysis>, targets: Map<string, { groups: string[] }>): void {
  const hosts = [...swept].map(([host, s]) => ({ host, groups: targets.get(host)?.groups ?? [], signature: s.signature, findings: s.findings }));
  for (const [host, findings] of stackFleet(hosts)) swept.get(host)!.findings = findings;
}

/**
 * The fleet pivot over what the sweep kept: each host's index rules it out or in before its
 * facts are read; `match` looks on one host. A host's findings are replaced by what it
 * returns; when it fails there, the host keeps its own and the run's errors say so.
 */
async function pivot(swept: Map<string, HostAnalysis>, match: (job: PivotJob) => Finding[] | null | Promise<Finding[] | null>): Promise<void> {
  const findings = new Map([...swept].map(([host, s]) => [host, s.findings]));
  const mayHave = (host: string) => {
    const index = swept.get(host)!.index;
    return index && openPivotIndex(index);
  };
  await Promise.all(
    [...pivotCandidates(findings, { hosts: swept.keys(), mayHave })].map(async ([host, candidates]) => {
      const s = swept.get(host)!;
      try {
        const updated = await match({ host, candidates, findings: s.findings });
        if (updated) s.findings = updated;
      } catch (e) {
        s.errors.push(`pivot on ${host}: ${(e as Error).message}`);
      }
    }),
  );
}
