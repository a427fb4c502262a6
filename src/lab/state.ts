import fs from 'node:fs';
import path from 'node:path';

// The record `lab down` cleans up from. Each resource is written here BEFORE it is created,
// so a crash or a half-finished `up` leaves nothing `down` does not know about.

export type Resource =
  | { type: 'netns'; name: string }
  | { type: 'link'; name: string }
  | { type: 'process'; pid: number; netns: string; role: 'unshare' | 'init' }
  /** a fault made by `lab fault` (stopped sshd PIDs, the DROP rule's id); gone with the host's namespace */
  | { type: 'fault'; host: string; kind: 'stop' | 'drop' | 'kill-sshd' | 'slow'; pids?: number[]; rule?: string };

export interface LabState {
  version: 1;
  dir: string;
  id: string;
  subnet: string;
  createdDir: boolean;
  startedAt: string;
  resources: Resource[];
  hosts: Array<{ name: string; address: string; netns: string; role: string }>;
}

export const stateFile = (dir: string): string => path.join(dir, 'lab-state.json');

export function readState(dir: string): LabState | null {
  let text: string;
  try {
    text = fs.readFileSync(stateFile(dir), 'utf8');
  } catch {
    return null;
  }
  return validateState(JSON.parse(text) as unknown, stateFile(dir));
}

export function validateState(v: unknown, where: string): LabState {
  const s = v as Partial<LabState>;
  if (!s || typeof s !== 'object' || s.version !== 1 || typeof s.id !== 'string' || !Array.isArray(s.resources) || !Array.isArray(s.hosts)) {
    throw new Error(`${where}: not a minesweep lab state file (expected version 1 with id, resources, hosts); remove it if the lab is gone`);
  }
  return s as LabState;
}

/** Write the state atomically (rename), synchronously: it must be on disk before the next step. */
export function writeState(state: LabState): void {
  const file = stateFile(state.dir);
  fs.writeFileSync(file + '.tmp', JSON.stringify(state, null, 2));
  fs.renameSync(file + '.tmp', file);
}

export function record(state: LabState, r: Resource): void {
  state.resources.push(r);
  writeState(state);
}
