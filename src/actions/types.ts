// Actions plan; they never execute. A plan is a list of steps (commands built with
// core/quote.ts) or the reason there is nothing to do. Check mode prints plans and diffs
// and costs nothing; --apply runs the steps in order and records each one.

/** Remediation phases, in the responders' order (DESIGN.md "Remediation order"). */
export const PHASES = [
  'evidence',
  'contain',
  'unlock',
  'persistence',
  'access',
  'processes',
  'files',
  'restore',
  'verify',
] as const;
export type Phase = (typeof PHASES)[number];

export interface Step {
  /** what a human reads, e.g. "remove cron line 3 of /var/spool/cron/crontabs/root" */
  description: string;
  /** one POSIX sh command, every value quoted with core/quote.ts */
  command: string;
  /** bytes fed to the command on stdin (file bodies); may hold secrets only if `mask` covers them */
  stdin?: string | Buffer;
  /** unified diff of the file this step changes, for check mode */
  diff?: string;
  /** strings to replace with ******** wherever this step is printed or recorded */
  mask?: string[];
  phase?: Phase;
  /** run as root (sudo) when the connection user is not root */
  become?: boolean;
  /** save this step's raw stdout under the host's run directory with this name (evidence) */
  capture?: string;
}

export type ActionPlan = { kind: 'steps'; steps: Step[] } | { kind: 'nothing'; reason: string };

export const nothing = (reason: string): ActionPlan => ({ kind: 'nothing', reason });
export const steps = (...s: Step[]): ActionPlan => (s.length ? { kind: 'steps', steps: s } : { kind: 'nothing', reason: 'no step needed' });
