import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Catalogue } from '../catalogue/types.js';
import type { HostResult } from '../core/result.js';
import { packageRoot } from '../core/paths.js';
import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import type { Target } from '../inventory/types.js';
import { collectIocs } from '../pivot/pivot.js';
import { analyzeFleet } from '../rules/analyze-fleet.js';
import { writeHostEvidence } from '../run/evidence.js';
import { createRunDir, writeFindings, writeHostFacts, writeRunRecord, writeSummary } from '../run/run-dir.js';
import { newRunId } from '../run/run-id.js';
import { RUN_SCHEMA, type HostRun, type RunRecord } from '../run/types.js';
import type { FleetOptions, RunFleet } from '../transport/types.js';
import { consoleText } from './console.js';
import { controllerKeyFingerprints } from './controller-keys.js';
import { loadProbe, type ProbeFn } from './probe-loader.js';

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
  /** injectable for tests and the benchmark; default: the transport's runFleet / the probe's probeHost */
  runFleet?: RunFleet;
  probe?: ProbeFn;
  /** extra trusted key fingerprints (the controller's keys are added automatically) */
  trustedKeys?: string[];
  /** hosts that could not even be targeted (already failed), recorded as such */
  problems?: HostResult<never>[];
}

export interface SweepResult {
  record: RunRecord;
  /** facts of every host that answered, by host name */
  facts: Map<string, HostFacts>;
  results: HostResult<HostFacts>[];
  runDir?: string;
  /** what the console shows (also summary.txt) */
  summary: string;
  /** rules that threw, as messages */
  errors: string[];
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function earliest(findings: Finding[]): number | undefined {
  const times = findings.flatMap((f) => f.evidence.flatMap((e) => (e.time ? [e.time] : [])));
  return times.length ? Math.min(...times) : undefined;
}

/**
 * The read-only sweep: one probe exec per host, rules, fleet pivot, run record (and, with
 * `out`, the run directory). Reused by remediate, harden and the benchmark.
 */
export async function sweepFleet(targets: Target[], opts: SweepOptions): Promise<SweepResult> {
  const started = new Date();
  const t0 = Date.now();
  const probe = opts.probe ?? (await loadProbe());
  const familyPaths = [...new Set(opts.catalogue.families.flatMap((f) => f.paths))];
  const runFleet = opts.runFleet ?? (await import('../transport/fleet.js')).runFleet;
  const results = await runFleet<HostFacts>(
    targets,
    async (session) => {
      try {
        const facts = await probe(session, {
          ...(opts.sinceSeconds !== undefined ? { sinceSeconds: opts.sinceSeconds } : {}),
          ...(opts.become || session.target.become ? { become: true } : {}),
          ...(opts.fleet.commandTimeoutMs ? { timeoutMs: opts.fleet.commandTimeoutMs } : {}),
          paths: familyPaths,
        });
        facts.host = session.target.name;
        return { status: 'ok', value: facts };
      } catch (e) {
        return { status: 'failed', reason: `probe failed: ${(e as Error).message}` };
      }
    },
    opts.fleet,
  );
  results.unshift(...(opts.problems ?? []));
  const facts = new Map<string, HostFacts>();
  for (const r of results) if (r.status === 'ok' && r.value) facts.set(r.host, r.value);
  const analysis = analyzeFleet([...facts.values()], {
    catalogue: opts.catalogue,
    trustedKeys: [...controllerKeyFingerprints(targets), ...(opts.trustedKeys ?? [])],
    ...(opts.sinceSeconds !== undefined ? { sinceSeconds: opts.sinceSeconds } : {}),
  });
  const byName = new Map(targets.map((t) => [t.name, t]));
  const hosts: HostRun[] = results.map((r) => {
    const t = byName.get(r.host);
    const findings = analysis.findings.get(r.host) ?? [];
    const h: HostRun = {
      name: r.host,
      address: t ? `${t.address}:${t.port}` : '',
      groups: t?.groups ?? [],
      status: r.status === 'ok' ? 'ok' : r.status,
      findings,
      tasks: [],
      quarantine: [],
    };
    if (r.reason) h.reason = r.reason;
    const e = earliest(findings);
    if (e !== undefined) h.earliestEvidence = e;
    return h;
  });
  const iocs = collectIocs(hosts.flatMap((h) => h.findings)).map((x) => x.ioc);
  const record: RunRecord = {
    schema: RUN_SCHEMA,
    id: newRunId(started),
    command: opts.command ?? 'sweep',
    argv: opts.argv ?? [],
    apply: false,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    inventory: opts.inventory ?? [],
    controller: { hostname: hostname(), version: version() },
    hosts,
    iocs,
  };
  const out: SweepResult = { record, facts, results, summary: '', errors: analysis.errors };
  const seconds = (Date.now() - t0) / 1000;
  if (opts.out) {
    const dir = createRunDir(opts.out, record.id);
    for (const f of facts.values()) {
      writeHostFacts(dir, f);
      writeHostEvidence(dir, f, analysis.findings.get(f.host) ?? []);
    }
    writeFindings(dir, hosts.flatMap((h) => h.findings));
    writeRunRecord(dir, record);
    out.runDir = dir;
  }
  out.summary = consoleText(record, seconds, out.runDir);
  if (out.runDir) writeSummary(out.runDir, out.summary);
  return out;
}
