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
  /**
   * the command records its undo first (quarantine/undo-lib.ts): the engine runs it with
   * MS_PHASE=record, journals the records it prints, then runs it again with MS_PHASE=apply
   */
  journal?: boolean;
}

/** Lines a planner's step prints when it changed something (the step is then 'changed', else 'ok'). */
export const CHANGE_MARKERS = /^(MS-CHANGED|MSQ moved |MSQ renamed |MS-KILLED|MSR (restored|removed) )/m;

/** The controller as a host sees it, and the keys it logs in with: what the guards keep in. */
export interface ControllerInfo {
  /** the address the host sees the controller connect from (never blocked) */
  address: string;
  /** every other address of the controller's own interfaces (a host reached by another route may see one of these: never blocked either) */
  localAddresses?: string[];
  /** the host's SSH port (never blocked, always listened on) */
  sshPort: number;
  /** the host's own address the controller connected to (ListenAddress must keep it) */
  hostAddress?: string;
  /** the controller's source port of this session */
  port?: number;
  /** SHA256:… fingerprints of every key the controller may log in with (never removed) */
  keyFingerprints: string[];
  /** the login user (its account and access are never removed) */
  user?: string;
}

/** Steps (with notes on what the guards kept), nothing to do, or refused: a guard says the change could cut the controller off. */
export type ActionPlan = ({ kind: 'steps'; steps: Step[]; notes?: string[] } | { kind: 'nothing'; reason: string } | { kind: 'refused'; reason: string }) & {
  /** merged into the task's result (registered, and in the task-end event) */
  data?: Record<string, unknown>;
};

export const nothing = (reason: string): ActionPlan => ({ kind: 'nothing', reason });
export const refused = (reason: string): ActionPlan => ({ kind: 'refused', reason });
export const steps = (...s: Step[]): ActionPlan => (s.length ? { kind: 'steps', steps: s } : { kind: 'nothing', reason: 'no step needed' });
