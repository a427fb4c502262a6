import type { ActionPlan, ControllerInfo, Step } from '../actions/types.js';
import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import type { QuarantineRecord } from '../run/types.js';

// The module contract. A playbook task names one module; the engine, for each host:
//   1. validates the task's options against `options` (+ `validate`) before anything runs
//      (errors carry file:line:column — modules return problems, the engine adds positions);
//   2. templates the string values (Handlebars, {{quote x}} for shell words);
//   3. collects what `gather` asks for in ONE exec per task per host (stat + content of paths,
//      command output) — read-only, also in check mode;
//   4. calls the pure `plan(args, ctx)` → steps, or the reason there is nothing to do
//      (plan from the current state, so a second run plans nothing: idempotent);
//   5. check mode: prints the plan and each step's diff, status 'changed' if there are steps;
//      --apply: runs the steps in order (one exec each, stdin, become), stops at the first
//      failure, status per `stepStatus` (default: exit 0 → changed, else failed).
// Modules that must read the host through the controller (probe, detect) implement
// `observe` instead of (or besides) `plan`: it runs in check mode too and never changes a host.
// Modules live in src/modules/<name>.ts and `export const module: Module = …`; the registry
// loads every file there (see registry.ts), so adding a module needs no other edit.

/** Option types as they appear in YAML. */
export type OptionType = 'string' | 'number' | 'boolean' | 'list' | 'map' | 'any';

export interface OptionSpec {
  /** one type or any of several */
  type: OptionType | OptionType[];
  required?: boolean;
  /** allowed values (strings) */
  choices?: readonly string[];
  /** element type for 'list' */
  items?: OptionType;
  /** one line for error messages and `minesweep run --list-modules` */
  description: string;
}

export type OptionSchema = Record<string, OptionSpec>;

/** What validate() returns: the engine adds file:line:column of `option` (or of the task). */
export interface ValidationProblem {
  option?: string;
  message: string;
  expected?: string;
  got?: string;
  fix?: string;
}

/** Host state a module needs before it can plan; collected in one exec per task per host. */
export interface GatherRequest {
  /** stat (type, mode, owner, group, size, attrs, link target) of each path */
  stat?: string[];
  /** stat + full content (lossless) of each path */
  read?: string[];
  /** name → shell command (build it with core/quote.ts); its exit code and output */
  commands?: Record<string, string>;
}

export interface FileState {
  path: string;
  exists: boolean;
  type?: 'file' | 'directory' | 'link' | 'other';
  /** octal, 4 digits, e.g. "0644" */
  mode?: string;
  owner?: string;
  group?: string;
  uid?: number;
  gid?: number;
  size?: number;
  /** lsattr flags, e.g. "----i---------e-------"; '' when unknown */
  attrs?: string;
  linkTarget?: string;
  /** only for `read` paths that are regular files (decodeLossless) */
  content?: string;
  sha256?: string;
}

export interface CommandState {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Gathered {
  /** keyed by the path as requested */
  files: Record<string, FileState>;
  /** keyed by the name in GatherRequest.commands */
  commands: Record<string, CommandState>;
}

export type { ControllerInfo } from '../actions/types.js';

/** Everything a module may read while planning; passed in explicitly, never global. */
export interface ModuleContext {
  /** inventory name of the host */
  host: string;
  /** play vars + inventory host vars + -e extra vars + registered results, merged */
  vars: Record<string, unknown>;
  /** from the last probe/detect task, or a sweep run (remediate --from) */
  facts?: HostFacts;
  /** this host's findings (detect task or sweep run) */
  findings: Finding[];
  /** what `gather` asked for; empty when the module has no gather */
  gathered: Gathered;
  controller: ControllerInfo;
  runId: string;
  /** the run directory on the controller (evidence, quarantine records); absent in some tests */
  runDir?: string;
  /** the run's quarantine directory on the host (undo records, quarantined files) */
  quarantineDir: string;
  /** true without --apply: plan only (modules should not need to know, but may annotate) */
  check: boolean;
  /** the task runs through sudo */
  become: boolean;
  /** directory of the playbook file (relative `src` paths) */
  playbookDir: string;
  /** read a controller-side file (templates, copy src) relative to playbookDir, then templates/; throws with the path tried */
  readLocal(path: string): string;
  /** render a Handlebars template text with the task's vars (shell-quote helper available) */
  render(text: string): string;
}

/** What an `observe` module hands back: new facts/findings for later tasks, a value for `register`. */
export interface Observation {
  status: 'ok' | 'changed' | 'failed';
  message?: string;
  facts?: HostFacts;
  findings?: Finding[];
  /** merged into the registered result */
  data?: Record<string, unknown>;
}

/** How one step ended on the host (what stepStatus and afterStep see). */
export interface StepResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
}

/** What afterStep may hand back to the run record. */
export interface StepSideEffects {
  quarantine?: QuarantineRecord[];
  /** merged into the task's result (maps key by key, so several steps add up) */
  data?: Record<string, unknown>;
}

/** A live handle for observe(): one exec on the host (through sudo when the task becomes). */
export interface HostHandle {
  exec(command: string, opts?: { stdin?: string | Buffer; timeoutMs?: number; become?: boolean }): Promise<StepResult>;
  /** the transport session, for probeHost(session) */
  readonly session: unknown;
}

export interface Module<A extends Record<string, unknown> = Record<string, unknown>> {
  /** the YAML key, e.g. "lineinfile" */
  name: string;
  /** one line for help and errors */
  description: string;
  options: OptionSchema;
  /** a bare value `shell: echo hi` / `command: [ls, -l]` goes to this option */
  freeForm?: string;
  /** cross-option checks after the schema (mutually exclusive options …) */
  validate?(args: A): ValidationProblem[];
  /** host state needed to plan (after templating); omitted: nothing gathered */
  gather?(args: A, ctx: Omit<ModuleContext, 'gathered'>): GatherRequest;
  /** pure: steps (every value quoted) or the reason there is nothing to do; throw an Error to fail the task with its message */
  plan?(args: A, ctx: ModuleContext): ActionPlan;
  /** read-only modules that need the session (probe, detect); run in check mode too */
  observe?(args: A, ctx: ModuleContext, host: HostHandle): Promise<Observation>;
  /** a step's status from its result; default: exit 0 → 'changed' ('ok' for capture steps), else 'failed' */
  stepStatus?(step: Step, result: StepResult, args: A): 'ok' | 'changed' | 'failed';
  /** check mode: would this step change the host? default: 'ok' for capture steps, else 'changed' (read-only steps — waits, checks — say 'ok') */
  checkStatus?(step: Step, args: A): 'ok' | 'changed';
  /** after each applied step (evidence capture, quarantine records) */
  afterStep?(step: Step, result: StepResult, ctx: ModuleContext): StepSideEffects | void | Promise<StepSideEffects | void>;
  /** a changed task of this module may cut off SSH access: the runner checks a fresh login after it (ExecOptions.freshLogin) */
  verifyAccess?: AccessCheck<A>;
}

/** The fresh-login check after a changed task, and how to put the host back when it fails. */
export interface AccessCheck<A extends Record<string, unknown> = Record<string, unknown>> {
  /** step description of the check after the change, e.g. 'a fresh SSH login works after the reload' */
  after: string;
  /** step description of the check after the restore step */
  restored: string;
  /** the step that puts the previous state back (null: nothing to put back) */
  restore(args: A, ctx: ModuleContext): Step | null;
}

/** Define a module with typed args (keeps the registry's Module<Record<string, unknown>> shape). */
export function defineModule<A extends Record<string, unknown>>(m: Module<A>): Module {
  return m as unknown as Module;
}
