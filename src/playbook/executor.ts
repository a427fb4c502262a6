import { decodeLossless } from '../core/bytes.js';
import { isSecretVariable, masked } from '../core/mask.js';
import type { HostStatus } from '../core/result.js';
import type { Step } from '../actions/types.js';
import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import type { QuarantineRecord, StepRecord, TaskRecord } from '../run/types.js';
import type { Session } from '../transport/types.js';
import type { Target } from '../inventory/types.js';
import { verifyAccessAfter } from './verify-access.js';
import { PlaybookError, formatPos } from './errors.js';
import { emptyGathered, gatherScript, isEmptyRequest, parseGather } from './gather.js';
import type { ControllerInfo, HostHandle, Module, ModuleContext, StepResult } from './module-types.js';
import { tagSelected } from './tags.js';
import { renderString, renderValue, TemplateError } from './template.js';
import type { Play, Task, WhenClause } from './types.js';
import { validateArgs } from './validate-args.js';
import { evalWhen, WhenError } from './when.js';
import type { TaskStartEvent } from './events.js';
import type { Journal } from '../engine/journal.js';
import { runStep, type UndoContext } from '../engine/run-step.js';
import type { StopSignal } from '../engine/stop.js';

// Runs one play's tasks on one host, in order: when → template → gather (one exec) → plan
// (pure) → check mode (record the plan and its diffs, touch nothing) or --apply (run the
// steps). Results, not exceptions: every task ends ok / changed / failed / skipped; the host
// stops at its first failure unless ignore_errors; a lost connection makes it unreachable.

export interface HostState {
  facts?: HostFacts;
  findings: Finding[];
  /** registered results by name (persist across plays) */
  registered: Record<string, unknown>;
  /** stopped (failed or unreachable) in an earlier play */
  stopped?: 'failed' | 'unreachable';
  /** this host's variables from the seed (over play and host vars, under registered and extra vars) */
  seedVars?: Record<string, unknown>;
}

export interface TaskEvent {
  host: string;
  play: string;
  task: Task;
  record: TaskRecord;
  check: boolean;
  /** plan reason (nothing to do) or module message */
  message?: string;
  ignored: boolean;
  /** the task's result, as `register` stores it */
  result: Record<string, unknown>;
}

/** Merge module data into a result: maps merge key by key, anything else replaces. */
function mergeData(result: Record<string, unknown>, data: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!data) return result;
  const out = { ...result };
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const [k, v] of Object.entries(data)) out[k] = isMap(out[k]) && isMap(v) ? { ...out[k], ...v } : v;
  return out;
}

export interface ExecOptions {
  check: boolean;
  extraVars: Record<string, unknown>;
  tags?: string[];
  skipTags?: string[];
  runId: string;
  runDir?: string;
  /** default per-command timeout (ms) */
  timeoutMs?: number;
  /** --become from the CLI (overrides the play when true) */
  become?: boolean;
  controllerKeys?: string[];
  getModule(name: string): Module | undefined;
  /** controller file reader for template/copy src (relative to the playbook dir, then templates/) */
  readLocal(path: string): string;
  playbookDir: string;
  onTask?(e: TaskEvent): void;
  onTaskStart?(e: TaskStartEvent): void;
  /** the controller journal (every change recorded before it is made) */
  journal?: Journal;
  /** a stop request: no further step starts */
  stop?: StopSignal;
  /** the host-side quarantine directory (default /var/lib/minesweep/quarantine/RUN) */
  quarantineDir?: string;
  /** a new SSH connection to the target logs in (modules with verifyAccess are checked with it after a change) */
  freshLogin?(target: Target): Promise<boolean>;
}

export interface Counts {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  ignored: number;
}

export const zeroCounts = (): Counts => ({ ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0 });

export interface HostPlayResult {
  tasks: TaskRecord[];
  counts: Counts;
  status: HostStatus;
  reason?: string;
  quarantine: QuarantineRecord[];
}

/** Replace every mask string of 3 characters or more with the one mask (core/mask.ts). */
export function maskText(text: string, mask: readonly string[]): string {
  return masked(text, mask.filter((x) => x.length >= 3));
}

class Unreachable extends Error {}

/** Values of variables whose names say they are secrets (password, secret, token, …_key). */
function secretsOf(vars: Record<string, unknown>): string[] {
  return Object.entries(vars)
    .filter(([k, v]) => typeof v === 'string' && v.length >= 3 && isSecretVariable(k))
    .map(([, v]) => v as string);
}

function whenHolds(clauses: WhenClause[], scope: Record<string, unknown>): boolean {
  for (const c of clauses) {
    try {
      if (!evalWhen(c.expr, scope)) return false;
    } catch (e) {
      if (e instanceof WhenError) throw new PlaybookError({ ...c.pos, column: c.pos.column + e.offset }, { message: `${c.src}: ${e.message}` });
      throw e;
    }
  }
  return true;
}

function failText(e: unknown, task: Task): string {
  if (e instanceof PlaybookError) return e.message;
  if (e instanceof TemplateError) return `${formatPos(task.modulePos)}: ${e.message}${e.fix ? `\n  fix: ${e.fix}` : ''}`;
  return (e as Error).message ?? String(e);
}

/** The variables a task sees, lowest precedence first: play vars, host vars, task vars, registered, extra vars. */
export function taskScope(hostVars: Record<string, unknown>, host: string, groups: string[], play: Play, task: Task, state: HostState, opts: Pick<ExecOptions, 'extraVars' | 'check'>): Record<string, unknown> {
  const scope: Record<string, unknown> = {
    ...hostVars,
    inventory_hostname: host,
    group_names: groups.filter((g) => g !== 'all'),
    ansible_check_mode: opts.check,
    check_mode: opts.check,
    findings: state.findings,
    ...(state.facts ? { facts: state.facts } : {}),
  };
  const layer = (vars: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(vars)) scope[k] = renderValue(v, { ...scope, ...opts.extraVars });
  };
  // play vars are defaults: the inventory's host vars win over them; task vars win over both
  layer(Object.fromEntries(Object.entries(play.vars).filter(([k]) => !Object.prototype.hasOwnProperty.call(hostVars, k))));
  layer(task.vars);
  Object.assign(scope, state.seedVars ?? {}, state.registered, opts.extraVars);
  return scope;
}

export interface HostContext {
  session: Session;
  state: HostState;
  controller: ControllerInfo;
  /** this host's step numbering and journal (steps that record their undo) */
  undo: UndoContext;
}

/** Run one play on one host (the session is open). */
export async function runPlayOnHost(play: Play, hc: HostContext, opts: ExecOptions): Promise<HostPlayResult> {
  const { session, state } = hc;
  const target = session.target;
  const counts = zeroCounts();
  const tasks: TaskRecord[] = [];
  const quarantine: QuarantineRecord[] = [];
  const mask = [...secretsOf(target.vars), ...(target.password ? [target.password] : []), ...(target.becomePassword ? [target.becomePassword] : [])];
  let stopped: 'failed' | 'unreachable' | undefined;
  let reason: string | undefined;

  const exec = async (command: string, o: { stdin?: string | Buffer; timeoutMs?: number; become?: boolean }): Promise<StepResult> => {
    try {
      const r = await session.exec(command, { ...(o.stdin !== undefined ? { stdin: o.stdin } : {}), ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}), become: o.become === true });
      return { code: r.code, stdout: r.stdout, stderr: decodeLossless(r.stderr), timedOut: r.timedOut };
    } catch (e) {
      throw new Unreachable((e as Error).message);
    }
  };

  for (const task of play.tasks) {
    if (!tagSelected([...new Set([...play.tags, ...task.tags])], opts.tags, opts.skipTags)) continue;
    opts.onTaskStart?.({ host: target.name, play: play.name, task, check: opts.check });
    const t0 = Date.now();
    const record: TaskRecord = { play: play.name, task: task.name, module: task.module, tags: task.tags, status: 'ok', steps: [], startedAt: new Date(t0).toISOString(), durationMs: 0 };
    const mod = opts.getModule(task.module)!;
    const become = opts.become === true || (task.become ?? play.become);
    const timeoutMs = task.timeoutSec ? task.timeoutSec * 1000 : opts.timeoutMs;
    let message: string | undefined;
    let ignored = false;
    let result: Record<string, unknown> = { changed: false, failed: false, skipped: false };
    let scope: Record<string, unknown> = {};
    const realRun = !opts.check || task.checkMode === false;
    try {
      scope = taskScope(target.vars, target.name, target.groups, play, task, state, opts);
      for (const v of secretsOf(scope)) if (!mask.includes(v)) mask.push(v);
      try {
        record.task = renderString(task.name, scope);
      } catch {
        /* a name that cannot be templated keeps its text */
      }
      if (!whenHolds(task.when, scope)) {
        record.status = 'skipped';
        message = `when: ${task.when.map((w) => w.src).join(' and ')} is false`;
        result = { changed: false, failed: false, skipped: true, skip_reason: message };
      } else {
        const shellKeys = new Set(mod.name === 'shell' ? [mod.freeForm ?? 'cmd'] : []);
        const args = renderValue(task.args, scope, shellKeys) as Record<string, unknown>;
        validateArgs(mod, args, task.modulePos, task.argPos, true);
        const base: Omit<ModuleContext, 'gathered'> = {
          host: target.name,
          vars: scope,
          ...(state.facts ? { facts: state.facts } : {}),
          findings: state.findings,
          controller: hc.controller,
          runId: opts.runId,
          ...(opts.runDir ? { runDir: opts.runDir } : {}),
          quarantineDir: hc.undo.quarantineDir,
          check: opts.check,
          become,
          playbookDir: opts.playbookDir,
          readLocal: opts.readLocal,
          render: (text: string) => renderString(text, scope),
        };
        let gathered = emptyGathered();
        const req = mod.gather?.(args, base);
        if (req && !isEmptyRequest(req)) {
          const r = await exec(gatherScript(req), { become, ...(timeoutMs ? { timeoutMs } : {}) });
          if (r.code !== 0) throw new Error(`gathering the host state failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}): ${r.stderr.trim().split('\n').pop() ?? ''}`);
          gathered = parseGather(req, decodeLossless(r.stdout));
        }
        const ctx: ModuleContext = { ...base, gathered };
        const handle: HostHandle = { session, exec: (c, o = {}) => exec(c, { become, ...(timeoutMs ? { timeoutMs } : {}), ...o }) };
        if (mod.observe) {
          const ob = await mod.observe(args, ctx, handle);
          if (ob.facts) state.facts = ob.facts;
          if (ob.findings) state.findings = ob.findings;
          record.status = ob.status;
          message = ob.message;
          result = { ...result, ...(ob.data ?? {}), changed: ob.status === 'changed', failed: ob.status === 'failed', ...(ob.message ? { msg: ob.message } : {}) };
        } else {
          const plan = mod.plan!(args, ctx);
          result = mergeData(result, plan.data);
          if (plan.kind === 'refused') {
            record.status = 'failed';
            message = `refused, nothing touched: ${plan.reason}`;
            result = { ...result, failed: true, msg: message };
          } else if (plan.kind === 'nothing') {
            record.status = 'ok';
            message = plan.reason;
            result = { ...result, msg: plan.reason };
          } else if (!realRun) {
            record.status = plan.steps.some((s) => (mod.checkStatus ? mod.checkStatus(s, args) : s.capture ? 'ok' : 'changed') === 'changed') ? 'changed' : 'ok';
            record.steps = plan.steps.map((s) => stepRecord(s, 'skipped', undefined, mask));
            message = `would run ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}`;
            result = { ...result, changed: record.status === 'changed', msg: message };
          } else {
            let last: StepResult | undefined;
            let accessFailure: string | undefined;
            for (const s of plan.steps) {
              if (opts.stop?.reason) {
                message = `not run: ${opts.stop.reason}`;
                break;
              }
              const ran = await runStep(exec, s, { become, ...(timeoutMs ? { timeoutMs } : {}), undo: hc.undo, task: record.task, description: maskText(s.description, [...mask, ...(s.mask ?? [])]) });
              const r = ran.result;
              quarantine.push(...ran.records);
              last = r;
              const st = mod.stepStatus ? mod.stepStatus(s, r, args) : r.code === 0 && !r.timedOut ? (s.capture ? 'ok' : 'changed') : 'failed';
              record.steps.push(stepRecord(s, st, r, mask));
              const side = await mod.afterStep?.(s, r, ctx);
              if (side?.quarantine) quarantine.push(...side.quarantine);
              result = mergeData(result, side?.data);
              if (st === 'failed') break;
            }
            const sts = record.steps.map((x) => x.status);
            record.status = sts.includes('failed') ? 'failed' : sts.includes('changed') ? 'changed' : 'ok';
            if (record.status === 'changed' && mod.verifyAccess && opts.freshLogin) {
              const v = await verifyAccessAfter(mod.verifyAccess, () => opts.freshLogin!(target), () => mod.verifyAccess!.restore(args, ctx), (st) => runStep(exec, st, { become, ...(timeoutMs ? { timeoutMs } : {}), undo: hc.undo, task: `${record.task} lockout guard`, description: st.description }));
              record.steps.push(...v.steps);
              quarantine.push(...v.records);
              if (v.failure) { record.status = 'failed'; accessFailure = v.failure; }
            }
            const out = last ? decodeLossless(last.stdout) : '';
            const err = last?.stderr ?? '';
            result = {
              ...result,
              changed: record.status === 'changed',
              failed: record.status === 'failed',
              rc: last?.code ?? null,
              stdout: maskText(out, mask),
              stderr: maskText(err, mask),
              stdout_lines: maskText(out, mask).split('\n').filter((l, i, a) => l !== '' || i < a.length - 1),
              stderr_lines: maskText(err, mask).split('\n').filter((l, i, a) => l !== '' || i < a.length - 1),
            };
            if (record.status === 'failed') {
              // a planner's step says why it gave up on an MS-FAIL line of its (masked) stdout
              const said = (result['stdout'] as string).match(/^MS-FAIL: (.*)$/gm)?.pop()?.slice('MS-FAIL: '.length);
              message = accessFailure ?? `${last?.timedOut ? `timed out after ${Math.round((timeoutMs ?? 0) / 1000)}s (raise the task's timeout: or --timeout)` : `exit ${last?.code ?? 'none'}`}${said ? ': ' + said : ''}${err.trim() ? ': ' + err.trim().split('\n').slice(-3).join(' | ') : ''}`;
            }
          }
        }
        // changed_when / failed_when see the result under its register name and as `result`
        if (task.changedWhen.length || task.failedWhen.length) {
          const s2 = { ...scope, result, ...(task.register ? { [task.register]: result } : {}) };
          const ran = realRun || mod.observe !== undefined || record.steps.length === 0;
          if (task.failedWhen.length && ran) {
            const f = whenHolds(task.failedWhen, s2);
            if (f) message = `failed_when: ${task.failedWhen.map((w) => w.src).join(' and ')}`;
            else if (record.status === 'failed') message = `${message ?? 'failed'} (not a failure: failed_when is false)`;
            record.status = f ? 'failed' : record.status === 'failed' ? 'ok' : record.status;
          }
          if (task.changedWhen.length && record.status !== 'failed') {
            try {
              record.status = whenHolds(task.changedWhen, s2) ? 'changed' : 'ok';
            } catch (e) {
              if (ran) throw e; // check mode: the result is not known yet; keep the would-be status
            }
          }
          result = { ...result, changed: record.status === 'changed', failed: record.status === 'failed' };
        }
      }
    } catch (e) {
      if (e instanceof Unreachable) {
        record.status = 'unreachable';
        message = `connection lost: ${e.message}`;
      } else {
        record.status = 'failed';
        message = failText(e, task);
      }
      result = { ...result, changed: false, failed: true, msg: message };
    }
    record.durationMs = Date.now() - t0;
    if (message !== undefined) record.message = maskText(message, mask);
    if (record.status === 'failed' && task.ignoreErrors) ignored = true;
    if (task.register) state.registered[task.register] = result;
    tasks.push(record);
    switch (record.status) {
      case 'ok': counts.ok++; break;
      case 'changed': counts.ok++; counts.changed++; break;
      case 'skipped': counts.skipped++; break;
      case 'unreachable': counts.unreachable++; break;
      case 'failed': if (ignored) counts.ignored++; else counts.failed++; break;
    }
    opts.onTask?.({ host: target.name, play: play.name, task, record, check: opts.check, ...(record.message !== undefined ? { message: record.message } : {}), ignored, result });
    if (record.status === 'unreachable') { stopped = 'unreachable'; reason = `${record.task}: ${record.message}`; break; }
    if (record.status === 'failed' && !ignored) { stopped = 'failed'; reason = `${record.task}: ${record.message ?? 'failed'}`; break; }
  }
  if (stopped) state.stopped = stopped;
  const status: HostStatus = stopped ?? (counts.changed ? 'changed' : 'ok');
  return { tasks, counts, status, ...(reason ? { reason } : {}), quarantine };
}

function stepRecord(s: Step, status: HostStatus, r: StepResult | undefined, mask: readonly string[]): StepRecord {
  const m = [...mask, ...(s.mask ?? [])];
  const rec: StepRecord = { description: maskText(s.description, m), status, command: maskText(s.command, m) };
  if (s.diff) rec.diff = maskText(s.diff, m);
  if (r) {
    rec.exitCode = r.code;
    rec.stdout = maskText(s.capture ? `(${r.stdout.length} bytes captured as ${s.capture})` : decodeLossless(r.stdout), m).slice(0, 20_000);
    rec.stderr = maskText(r.stderr + (r.timedOut ? '\n(timed out)' : ''), m).slice(0, 20_000);
  }
  return rec;
}
