import { RUN_SCHEMA, type HostRun, type RunRecord } from '../run/types.js';

// run.json → RunRecord: checks what the report relies on and fills missing optional lists,
// so an older or partial record still renders. Pure; the caller reads the file.

export class RunRecordError extends Error {}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);

const findings = (v: unknown): HostRun['findings'] =>
  arr(v).map((f) => ({ severity: 'info', rule: '', host: '', evidence: [], iocs: [], artifacts: [], remedy: '', title: '', ...(f as object) })) as unknown as HostRun['findings'];

/** Validate a parsed run.json. `where` names the file for messages. */
export function validateRunRecord(v: unknown, where: string): RunRecord {
  const fail = (what: string, got: unknown): never => {
    throw new RunRecordError(
      `${where}: ${what}, got ${JSON.stringify(got)?.slice(0, 80) ?? String(got)}. ` +
        'Expected the run.json that sweep/remediate/harden write into runs/<id>/; point `minesweep report` at such a run directory.',
    );
  };
  if (!isObj(v)) return fail('expected a JSON object', v);
  if (v.schema !== RUN_SCHEMA) fail(`expected "schema": "${RUN_SCHEMA}"`, v.schema);
  if (!Array.isArray(v.hosts)) fail('expected "hosts" to be an array', v.hosts);
  const hosts = (v.hosts as unknown[]).map((h, i): HostRun => {
    if (!isObj(h) || typeof h.name !== 'string') return fail(`hosts[${i}]: expected an object with a "name" string`, h);
    const ver = h.verification;
    const re = h.recheck;
    return {
      ...(h as unknown as HostRun),
      address: str(h.address),
      groups: arr(h.groups).filter((g): g is string => typeof g === 'string'),
      status: (str(h.status, 'ok') as HostRun['status']),
      findings: findings(h.findings),
      tasks: arr(h.tasks).map((t) => ({ tags: [], steps: [], play: '', task: '', module: '', startedAt: '', durationMs: 0, ...(t as object) })) as unknown as HostRun['tasks'],
      quarantine: arr(h.quarantine) as HostRun['quarantine'],
      ...(isObj(ver) ? { verification: { ...(ver as object), findings: findings(ver.findings) } as HostRun['verification'] } : { verification: undefined }),
      ...(isObj(re) ? { recheck: { ...(re as object), findings: findings(re.findings) } as HostRun['recheck'] } : { recheck: undefined }),
    };
  });
  return {
    ...(v as unknown as RunRecord),
    id: str(v.id, 'unknown'),
    command: str(v.command, 'sweep'),
    argv: arr(v.argv) as string[],
    apply: v.apply === true,
    startedAt: str(v.startedAt),
    finishedAt: str(v.finishedAt),
    inventory: arr(v.inventory).filter((x): x is string => typeof x === 'string'),
    controller: isObj(v.controller) ? { hostname: str(v.controller.hostname), version: str(v.controller.version) } : { hostname: '', version: '' },
    hosts,
    iocs: arr(v.iocs) as RunRecord['iocs'],
  };
}
