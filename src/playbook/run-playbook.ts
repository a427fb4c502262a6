import type { HostResult } from '../core/result.js';
import type { Target } from '../inventory/types.js';
import type { HostRun, QuarantineRecord, TaskRecord } from '../run/types.js';
import type { FleetOptions, RunFleet } from '../transport/types.js';
import { runPlayOnHost, zeroCounts, type Counts, type ExecOptions, type HostState, type TaskEvent } from './executor.js';
import type { Playbook } from './types.js';
import { fanOut, type RunEvents } from './events.js';
import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import type { ControllerInfo } from '../actions/types.js';
import type { UndoContext } from '../engine/run-step.js';
import { quarantineDirFor } from '../quarantine/undo-lib.js';
import { controllerInfo, undoContext } from '../engine/host-context.js';

// A whole playbook over the fleet: plays in order; within a play every selected host runs
// the tasks in order, hosts in parallel (forks). A host that failed or was unreachable
// sits out the later plays. Returns the per-host run records and the recap counts.

/** What a host starts a playbook with (from a sweep or --from): facts, findings. */
export interface HostSeed {
  facts?: HostFacts;
  findings?: Finding[];
  /** variables of this host alone (over play and inventory vars, under -e) */
  vars?: Record<string, unknown>;
}

export interface PlaybookRunOptions extends Omit<ExecOptions, 'playbookDir' | 'onTask' | 'onTaskStart'> {
  /** hosts of a play's pattern (∩ --limit), ready to connect, and those that cannot be */
  targetsFor(pattern: string): Promise<{ targets: Target[]; problems: HostResult<never>[] }>;
  runFleet: RunFleet;
  fleet: FleetOptions;
  onPlay?(name: string, hosts: number): void;
  onTask?(e: TaskEvent): void;
  /** subscribers: task start/end, host end, run end (the printer, the run record) */
  events?: RunEvents[];
  /** per-host starting state by host name; a seeded host needs no probe task */
  seed?: ReadonlyMap<string, HostSeed>;
}

export interface PlaybookRunResult {
  hosts: Map<string, HostRun>;
  counts: Map<string, Counts>;
  /** a play matched no host */
  emptyPlays: string[];
}

function addCounts(a: Counts, b: Counts): void {
  for (const k of Object.keys(a) as Array<keyof Counts>) a[k] += b[k];
}

export async function runPlaybook(pb: Playbook, o: PlaybookRunOptions): Promise<PlaybookRunResult> {
  const hosts = new Map<string, HostRun>();
  const counts = new Map<string, Counts>();
  const states = new Map<string, HostState>();
  const undos = new Map<string, UndoContext>();
  const emptyPlays: string[] = [];
  const ev = fanOut([{ ...(o.onPlay ? { playStart: o.onPlay } : {}), ...(o.onTask ? { taskEnd: o.onTask } : {}) }, ...(o.events ?? [])]);
  const stateOf = (name: string): HostState => {
    let s = states.get(name);
    if (!s) {
      const seed = o.seed?.get(name);
      s = { findings: [...(seed?.findings ?? [])], registered: {}, ...(seed?.facts ? { facts: seed.facts } : {}), ...(seed?.vars ? { seedVars: seed.vars } : {}) };
      states.set(name, s);
    }
    return s;
  };
  const hostRun = (name: string, t?: Target): HostRun => {
    let h = hosts.get(name);
    if (!h) {
      h = { name, address: t ? `${t.address}:${t.port}` : '', groups: t?.groups ?? [], status: 'ok', findings: [], tasks: [], quarantine: [] };
      hosts.set(name, h);
      counts.set(name, zeroCounts());
    }
    return h;
  };
  for (const play of pb.plays) {
    const { targets, problems } = await o.targetsFor(play.hosts);
    for (const p of problems) {
      const h = hostRun(p.host);
      h.status = 'failed';
      h.reason = p.reason ?? 'cannot be targeted';
      counts.get(p.host)!.failed++;
    }
    const live = targets.filter((t) => !states.get(t.name)?.stopped);
    ev.playStart(play.name, live.length);
    if (!targets.length && !problems.length) { emptyPlays.push(play.name); continue; }
    for (const t of live) hostRun(t.name, t);
    const results = await o.runFleet<{ tasks: TaskRecord[]; counts: Counts; quarantine: QuarantineRecord[] }>(
      live,
      async (session) => {
        const name = session.target.name;
        const state = stateOf(name);
        let controller: ControllerInfo = { address: '', sshPort: session.target.port, port: 0, keyFingerprints: o.controllerKeys ?? [], user: session.target.user };
        try {
          controller = await controllerInfo(session, o.controllerKeys ?? []);
        } catch {
          /* guards in the modules treat an unknown controller address conservatively */
        }
        const undo = (undos.get(name) ?? undos.set(name, undoContext(name, o.quarantineDir ?? quarantineDirFor(o.runId), o.journal)).get(name))!;
        const r = await runPlayOnHost(play, { session, state, controller, undo }, { ...o, playbookDir: pb.dir, onTask: ev.taskEnd, onTaskStart: ev.taskStart });
        const value = { tasks: r.tasks, counts: r.counts, quarantine: r.quarantine };
        return { status: r.status, value, ...(r.reason ? { reason: r.reason } : {}) };
      },
      o.fleet,
    );
    for (const r of results) {
      const h = hostRun(r.host);
      const c = counts.get(r.host)!;
      if (r.connectRetries) h.connectRetries = (h.connectRetries ?? 0) + r.connectRetries;
      if (r.value) {
        h.tasks.push(...r.value.tasks);
        h.quarantine.push(...r.value.quarantine);
        addCounts(c, r.value.counts);
      } else if (r.status === 'unreachable') c.unreachable++;
      else if (r.status === 'failed') c.failed++;
      if (r.status === 'failed' || r.status === 'unreachable') {
        h.status = r.status;
        if (r.reason) h.reason = r.reason;
        stateOf(r.host).stopped = r.status;
      } else if (r.status === 'changed' && h.status === 'ok') h.status = 'changed';
    }
  }
  for (const [name, s] of states) {
    const h = hosts.get(name);
    if (h) h.findings = s.findings;
  }
  for (const [name, h] of hosts) ev.hostEnd({ host: name, run: h, counts: counts.get(name)! });
  ev.runEnd({ hosts, counts, emptyPlays });
  return { hosts, counts, emptyPlays };
}
