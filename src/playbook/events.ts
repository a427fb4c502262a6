import type { HostRun } from '../run/types.js';
import type { Counts, TaskEvent } from './executor.js';
import type { Task } from './types.js';

// What the engine tells its subscribers as a playbook runs (Ansible's callbacks): a play
// starts, a task starts and ends on a host, a host's record is complete, the run ends.
// The console printer and the run record are subscribers; a subscriber sees every event
// of every host, in the order the hosts produce them.

export interface TaskStartEvent {
  host: string;
  play: string;
  task: Task;
  check: boolean;
}

export interface HostEndEvent {
  host: string;
  run: HostRun;
  counts: Counts;
}

export interface RunEndEvent {
  hosts: Map<string, HostRun>;
  counts: Map<string, Counts>;
  emptyPlays: string[];
}

export interface RunEvents {
  playStart?(name: string, hosts: number): void;
  taskStart?(e: TaskStartEvent): void;
  taskEnd?(e: TaskEvent): void;
  hostEnd?(e: HostEndEvent): void;
  runEnd?(e: RunEndEvent): void;
}

/** One subscriber that hands every event to each of `subs`, in order. */
export function fanOut(subs: ReadonlyArray<RunEvents | undefined>): Required<RunEvents> {
  const live = subs.filter((s): s is RunEvents => s !== undefined);
  return {
    playStart: (n, h) => { for (const s of live) s.playStart?.(n, h); },
    taskStart: (e) => { for (const s of live) s.taskStart?.(e); },
    taskEnd: (e) => { for (const s of live) s.taskEnd?.(e); },
    hostEnd: (e) => { for (const s of live) s.hostEnd?.(e); },
    runEnd: (e) => { for (const s of live) s.runEnd?.(e); },
  };
}
