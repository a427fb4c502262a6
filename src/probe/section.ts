import type { HostFacts } from '../facts/types.js';
import type { ProbeRecord } from './records.js';

/** What the processes parser needs to turn clock ticks into times (from the host section). */
export interface HostClock {
  now: number;
  btime: number;
  clkTck: number;
  uptime: number;
  /** pid of the probe's own shell */
  self: number;
  pidMax: number;
}

/** What the sections parsed so far; later sections read earlier ones (clock, processes). */
export interface ParseContext {
  facts: HostFacts;
  clock: HostClock;
  /** uid → user name and gid → group name, from /etc/passwd and /etc/group */
  users: Map<number, string>;
  groups: Map<number, string>;
}

/**
 * One probe section: the body of the sh function that prints its records, a pure parser
 * from those records to facts, and the facts when the section is missing or its parser fails.
 */
export interface ProbeSection {
  /** section name in the output framing: [a-z0-9]+ */
  name: string;
  /** body of the sh function `ms_sec_<name>`; may use the framing helpers of script.ts */
  snippet: string;
  /** seconds before the section's watchdog kills it (also bounded by the overall budget) */
  timeoutSeconds: number;
  parse(records: ProbeRecord[], ctx: ParseContext): SectionFacts;
  missing(): Partial<HostFacts>;
}

/** A parser's result: the facts it fills, and whether it saw its data cut by a bound. */
export type SectionFacts = Partial<HostFacts> & { truncated?: boolean };
