import type { Step } from '../actions/types.js';
import type { Module } from '../playbook/module-types.js';
import type { RunEvents } from '../playbook/events.js';
import type { TaskRecord } from '../run/types.js';
import type { HardenArea } from './harden-playbook.js';

// What `minesweep harden` reads from the engine's task-end events, per host: the steps of
// each area (planned or run, masked), the notes, what a guard refused, the files new Redis
// passwords went to, and how the fresh login after an SSH change went.

const REFUSED = 'refused, nothing touched: ';
/** refusals are said network first, as the areas were once planned */
const REFUSAL_ORDER: readonly HardenArea[] = ['firewall', 'redis', 'ssh'];

export interface HostHardening {
  /** steps per area, in order (check mode: planned; --apply: run) */
  steps: Partial<Record<HardenArea, Step[]>>;
  notes: string[];
  /** what the guards refused (the host is left untouched): firewall first, then redis, then ssh */
  refused: string[];
  /** a task that failed without a refusal: "task: message" */
  failures: string[];
  tasks: TaskRecord[];
  /** areas with a task that would change (check) or changed (--apply) the host */
  changing: HardenArea[];
  /** areas a task of which ran (ok, changed or failed) */
  reached: HardenArea[];
  /** the play of the first failed task */
  failedPlay?: string;
  /** files under runs/<id>/secrets/ that hold new Redis passwords */
  secretFiles: string[];
  /** restored: no fresh login after the change, the previous state put back, login works again */
  freshLogin?: 'ok' | 'failed' | 'restored';
}

const emptyHardening = (): HostHardening => ({ steps: {}, notes: [], refused: [], failures: [], tasks: [], changing: [], reached: [], secretFiles: [] });

/** A subscriber collecting each host's hardening into `into` (by host name); `areaOf` maps play names to areas. */
export function hardenCollector(into: Map<string, HostHardening>, areaOf: ReadonlyMap<string, HardenArea>, getModule: (name: string) => Module | undefined): RunEvents {
  // each host's refusals with their area, to list them in REFUSAL_ORDER
  const refusals = new Map<string, Array<{ area: HardenArea; reason: string }>>();
  return {
    taskEnd(e) {
      const area = areaOf.get(e.play);
      if (!area) return;
      let h = into.get(e.host);
      if (!h) into.set(e.host, (h = emptyHardening()));
      const r = e.record;
      h.tasks.push(r);
      if (r.status === 'skipped') return;
      if (!h.reached.includes(area)) h.reached.push(area);
      const ran = r.steps.filter((s) => s.command !== undefined);
      (h.steps[area] ??= []).push(...ran.map((s) => ({ description: s.description, command: s.command!, ...(s.diff ? { diff: s.diff } : {}) })));
      if (r.status === 'changed' && !h.changing.includes(area)) h.changing.push(area);
      for (const n of (e.result['notes'] as string[] | undefined) ?? []) if (!h.notes.includes(n)) h.notes.push(n);
      const files = e.result['secret_files'];
      if (files && typeof files === 'object') for (const f of Object.values(files as Record<string, unknown>)) if (typeof f === 'string' && !h.secretFiles.includes(f)) h.secretFiles.push(f);
      if (r.status === 'failed') {
        h.failedPlay ??= e.play;
        if (e.message?.startsWith(REFUSED)) {
          const all = [...(refusals.get(e.host) ?? []), { area, reason: e.message.slice(REFUSED.length) }].sort((x, y) => REFUSAL_ORDER.indexOf(x.area) - REFUSAL_ORDER.indexOf(y.area));
          refusals.set(e.host, all);
          h.refused = all.map((x) => x.reason);
        } else h.failures.push(`${r.task}: ${e.message ?? 'failed'}`);
      }
      const check = getModule(r.module)?.verifyAccess;
      if (check) {
        const st = (d: string) => r.steps.find((s) => s.command === undefined && s.description === d)?.status;
        const after = st(check.after);
        const restored = st(check.restored);
        if (restored !== undefined) h.freshLogin = restored === 'ok' ? 'restored' : 'failed';
        else if (after !== undefined && h.freshLogin !== 'failed' && h.freshLogin !== 'restored') h.freshLogin = after === 'ok' ? 'ok' : 'failed';
      }
    },
  };
}
