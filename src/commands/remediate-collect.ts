import type { Step } from '../actions/types.js';
import type { RunEvents } from '../playbook/events.js';
import type { TaskRecord } from '../run/types.js';

// What `minesweep remediate` reads from the engine's task-end events of its `remediate`
// tasks, per host: the plan (steps per phase, notes), how many steps ran, the evidence
// files saved, and when the first step started and the last one ended.

/** A planned step as the remediate module hands it back (masked). */
export type PlannedStep = Pick<Step, 'description' | 'command' | 'diff'> & { phase?: string };

export interface HostRemediation {
  /** planned steps in order */
  plan: PlannedStep[];
  notes: string[];
  planned: number;
  ran: number;
  evidenceFiles: number;
  tasks: TaskRecord[];
  firstStepAt?: number;
  lastStepEnd?: number;
}

/** A subscriber collecting every host's remediation into `into` (by host name). */
export function remediateCollector(into: Map<string, HostRemediation>): RunEvents {
  return {
    taskEnd(e) {
      if (e.task.module !== 'remediate') return;
      let h = into.get(e.host);
      if (!h) into.set(e.host, (h = { plan: [], notes: [], planned: 0, ran: 0, evidenceFiles: 0, tasks: [] }));
      const r = e.result;
      h.tasks.push(e.record);
      h.plan.push(...((r['plan'] as PlannedStep[] | undefined) ?? []));
      for (const n of (r['notes'] as string[] | undefined) ?? []) if (!h.notes.includes(n)) h.notes.push(n);
      h.planned += typeof r['planned'] === 'number' ? r['planned'] : 0;
      h.evidenceFiles += typeof r['evidence_files'] === 'number' ? r['evidence_files'] : 0;
      if (e.check) return;
      h.ran += e.record.steps.length;
      if (e.record.steps.length) {
        const t0 = Date.parse(e.record.startedAt);
        h.firstStepAt = Math.min(h.firstStepAt ?? t0, t0);
        h.lastStepEnd = Math.max(h.lastStepEnd ?? 0, t0 + e.record.durationMs);
      }
    },
  };
}

/** The plan grouped by phase (what planText prints). */
export function planPhases(plan: readonly PlannedStep[]): Partial<Record<string, Step[]>> {
  const out: Partial<Record<string, Step[]>> = {};
  for (const s of plan) (out[s.phase ?? 'steps'] ??= []).push({ description: s.description, command: s.command, ...(s.diff ? { diff: s.diff } : {}) });
  return out;
}
