import { randomBytes } from 'node:crypto';
import type { Step } from '../actions/types.js';
import type { HostFacts } from '../facts/types.js';
import type { QuarantineRecord, TaskRecord } from '../run/types.js';
import type { Session } from '../transport/types.js';
import type { ControllerInfo } from '../actions/types.js';
import type { Journal } from '../engine/journal.js';
import type { StopSignal } from '../engine/stop.js';
import { quarantineDirFor } from '../quarantine/undo-lib.js';
import { controllerInfo, undoContext } from '../engine/host-context.js';
import { runSteps, taskRecords } from '../remediate/run-steps.js';
import { planFirewall, type FirewallVars } from './firewall.js';
import { planRedis, type RedisVars } from './redis.js';
import { planSsh, sshdRestoreStep, type SshVars } from './ssh.js';
import { passwordKept, storeSecrets } from './redis-secrets.js';

// One host of `minesweep harden`: the three plans (firewall, redis, ssh), refused as a
// whole before anything runs when a guard says so; with --apply the steps run and new
// Redis passwords are written 0600 under the run directory first (never printed).

export type HardenArea = 'firewall' | 'redis' | 'ssh';
/** In the order they are applied: ssh first, so that its fresh-login check proves access before the firewall or Redis changes; an area that fails stops the later ones. */
export const HARDEN_AREAS: HardenArea[] = ['ssh', 'firewall', 'redis'];

export interface HardenVars {
  firewall: FirewallVars;
  redis: RedisVars;
  ssh: SshVars;
}

const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? v.split(/[\s,]+/).filter(Boolean) : undefined);

/** Hardening vars from the host's inventory vars. */
export function hardenVarsOf(vars: Record<string, unknown>, sweepAddresses: string[]): HardenVars {
  const block = [...new Set([...(list(vars['harden_block_addresses']) ?? []), ...sweepAddresses])];
  const fw: FirewallVars = { blockAddresses: block };
  const ports = list(vars['harden_block_ports']);
  if (ports) fw.blockPorts = ports.map(Number);
  const allow = list(vars['harden_allow_sources']);
  if (allow) fw.allowSources = allow;
  const ds = list(vars['harden_datastore_ports']);
  if (ds) fw.datastorePorts = ds.map(Number);
  const redis: RedisVars = {};
  const bind = list(vars['redis_bind']);
  if (bind) redis.bind = bind;
  if (typeof vars['redis_password'] === 'string') redis.password = vars['redis_password'];
  if (typeof vars['redis_user'] === 'string') redis.user = vars['redis_user'];
  const ssh: SshVars = {};
  const keys = list(vars['ssh_allowed_keys']);
  if (keys) ssh.allowedKeys = keys;
  if (vars['sshd_options'] && typeof vars['sshd_options'] === 'object') ssh.sshdOptions = Object.fromEntries(Object.entries(vars['sshd_options'] as object).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
  return { firewall: fw, redis, ssh };
}

export interface HostHardenPlan {
  controller: ControllerInfo;
  refused: string[];
  notes: string[];
  steps: Record<HardenArea, Step[]>;
  /** port -> password to store (only when applying) */
  secrets: Map<number, string>;
}

export function planHarden(facts: HostFacts, vars: HardenVars, controller: ControllerInfo, runId: string, areas: HardenArea[], sweepAddresses: string[]): HostHardenPlan {
  const q = quarantineDirFor(runId);
  const plan: HostHardenPlan = { controller, refused: [], notes: [], steps: { firewall: [], redis: [], ssh: [] }, secrets: new Map() };
  if (areas.includes('firewall')) {
    // addresses from the sweep that the guards protect are dropped with a note; vars refuse
    const fromVars = vars.firewall.blockAddresses?.filter((a) => !sweepAddresses.includes(a)) ?? [];
    const fromSweep = sweepAddresses.filter((a) => {
      const fw = planFirewall(facts, { blockAddresses: [a] }, controller, q);
      if ('refused' in fw) plan.notes.push(`not blocking ${a} from the sweep: ${fw.refused}`);
      return !('refused' in fw);
    });
    const fw = planFirewall(facts, { ...vars.firewall, blockAddresses: [...fromVars, ...fromSweep] }, controller, q);
    if ('refused' in fw) plan.refused.push(fw.refused);
    else { plan.steps.firewall = fw.steps; plan.notes.push(...fw.notes); }
  }
  if (areas.includes('redis')) {
    const gen = (port: number) => {
      const pw = vars.redis.password ?? randomBytes(24).toString('base64url');
      plan.secrets.set(port, pw);
      return pw;
    };
    for (const r of planRedis(facts, vars.redis, gen, q)) {
      plan.steps.redis.push(...r.steps);
      if (r.reason) plan.notes.push(`redis port ${r.port}: ${r.reason}`);
    }
  }
  if (areas.includes('ssh')) {
    const s = planSsh(facts, vars.ssh, controller, q);
    if ('refused' in s) plan.refused.push(s.refused);
    else { plan.steps.ssh = s.steps; plan.notes.push(...s.notes); }
  }
  return plan;
}

export interface HostHardenResult {
  plan: HostHardenPlan;
  tasks: TaskRecord[];
  /** restored: no fresh login after the change, the previous sshd_config put back, login works again */
  freshLogin?: 'ok' | 'failed' | 'restored';
  secretFiles: string[];
  /** areas left out because an earlier area failed on this host */
  notApplied: HardenArea[];
  /** undo records of every change (rollback) */
  records: QuarantineRecord[];
}

export async function hardenHost(
  session: Session,
  input: { facts: HostFacts; vars: HardenVars; runId: string; runDir: string; apply: boolean; areas: HardenArea[]; sweepAddresses: string[]; freshLogin: () => Promise<boolean>; journal?: Journal; stop?: StopSignal; controllerKeys?: string[] },
): Promise<HostHardenResult> {
  const controller = await controllerInfo(session, input.controllerKeys);
  const plan = planHarden(input.facts, input.vars, controller, input.runId, input.areas, input.sweepAddresses);
  const res: HostHardenResult = { plan, tasks: [], secretFiles: [], notApplied: [], records: [] };
  if (!input.apply || plan.refused.length) return res;
  const undo = undoContext(session.target.name, quarantineDirFor(input.runId), input.journal);
  const todo = HARDEN_AREAS.filter((a) => plan.steps[a].length);
  for (const [i, area] of todo.entries()) {
    const steps = plan.steps[area];
    if (input.stop?.reason) { res.notApplied.push(...todo.slice(i)); break; }
    const outcomes = await runSteps(session, steps.map((s) => ({ ...s, phase: undefined })), { become: true, undo, task: `harden-${area}`, ...(input.stop ? { stop: input.stop } : {}), onStep: (o) => { res.records.push(...o.records); } });
    // a password is kept only when it was set (changed) or may have been (failed midway)
    if (area === 'redis') {
      const used = new Map([...plan.secrets].filter(([, pw]) => outcomes.some((o) => passwordKept(o.record.status) && o.step.mask?.includes(pw))));
      if (used.size) res.secretFiles = storeSecrets(input.runDir, session.target.name, used);
    }
    const tasks = taskRecords(`harden-${area}`, area === 'firewall' ? 'iptables' : area === 'redis' ? 'redis_harden' : 'sshd_config', outcomes, () => area);
    if (area === 'ssh' && outcomes.some((o) => o.record.status === 'changed')) {
      res.freshLogin = (await input.freshLogin()) ? 'ok' : 'failed';
      const t = tasks[0]!;
      t.steps.push({ description: 'a fresh SSH login works after the reload', status: res.freshLogin === 'ok' ? 'ok' : 'failed' });
      if (res.freshLogin === 'failed') {
        t.status = 'failed';
        // never leave a host nobody can log in to: put the old sshd_config back while this session lives
        const restore = sshdRestoreStep(input.facts, controller, quarantineDirFor(input.runId));
        if (restore) {
          const [back] = await runSteps(session, [{ ...restore, phase: undefined }], { become: true, undo, task: 'harden-ssh lockout guard', onStep: (o) => { res.records.push(...o.records); } });
          const again = back?.record.status !== 'failed' && (await input.freshLogin());
          t.steps.push({ description: restore.description, status: back?.record.status === 'failed' ? 'failed' : 'changed' });
          t.steps.push({ description: 'a fresh SSH login works with the previous sshd_config', status: again ? 'ok' : 'failed' });
          res.freshLogin = again ? 'restored' : 'failed';
        }
      }
    }
    res.tasks.push(...tasks);
    if (tasks.some((t) => t.status === 'failed')) {
      res.notApplied.push(...todo.slice(i + 1));
      break;
    }
  }
  return res;
}
