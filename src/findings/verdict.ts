import type { Finding } from './types.js';

// The verdict of one host, from its findings (pure). A finding is one of:
//   exposure   an open door (world-open Redis, a firewall rule, the Docker API): redis.*, firewall.*, docker.*
//   miner      a miner: a process whose role is miner, stratum/pool markers, a miner config
//   indicator  a family indicator: a finding whose family came from the catalogue (not inherited
//              from another finding on the host), or an indicator seen on another host (pivot)
//   reason     anything else; reasons of the same class (rule prefix: process, cron, key …) about
//              one thing count once; reasons derived from other findings do not count
// infected: a miner, an indicator, or two independent reasons; suspicious: one reason (or only
// fleet rarity); exposed: only open doors; clean: nothing. incomplete replaces clean when a probe
// section is missing; unreachable/failed come from the host status.

export type Verdict = 'infected' | 'suspicious' | 'exposed' | 'clean' | 'incomplete' | 'unreachable';
/** After remediation (reserved for the after-action issue): cleaned, closed (hole fixed), reinfected. */
export type AfterActionVerdict = 'cleaned' | 'closed' | 'reinfected';

export const VERDICTS: readonly Verdict[] = ['infected', 'suspicious', 'exposed', 'incomplete', 'unreachable', 'clean'];

export interface VerdictInput {
  /** the host status of the run: ok, failed, unreachable, skipped … */
  status: string;
  findings: readonly Finding[];
  /** probe sections that did not finish (missing, killed, parser failed) */
  incomplete?: readonly string[];
}

export interface HostVerdict {
  verdict: Verdict;
  /** one line: why */
  why: string;
}

const EXPOSURE = /^(redis|firewall|docker)\./;
/** Rules whose finding is itself a miner. */
const MINER_RULES = new Set(['process.miner-argv', 'net.pool-domain', 'net.miner-port-connection', 'process.high-cpu-suspicious-exe', 'file.miner-config', 'hosts.pool-domain']);
/** Rules that only fire because of other findings (or fleet rarity): they never count as a reason of their own. */
const DERIVED = new Set(['key.recently-added', 'hosts.ioc-entry', 'attr.immutable-persistence', 'fleet.rare-in-group', 'persistence.starts-flagged-unit']);

export const isExposure = (f: Finding): boolean => EXPOSURE.test(f.rule);

export function isMiner(f: Finding): boolean {
  return MINER_RULES.has(f.rule) || f.artifacts.some((a) => a.type === 'process' && a.role === 'miner') || f.reasons?.includes('miner-marker') === true || f.reasons?.includes('pool-domain') === true;
}

/** The family of the finding comes from a family indicator (catalogue or another host), not from attribution. */
export const isIndicator = (f: Finding): boolean => (f.family !== undefined && !f.familyInherited) || f.pivot !== undefined;

/** The class a reason belongs to: two findings of one class count as one reason. */
export const reasonClass = (f: Finding): string => f.rule.split('.')[0]!;

export function hostVerdict(input: VerdictInput): HostVerdict {
  if (input.status === 'unreachable') return { verdict: 'unreachable', why: 'the host could not be reached' };
  const fs = input.findings;
  const miner = fs.find(isMiner);
  if (miner) return { verdict: 'infected', why: `a miner: ${miner.title}` };
  const ind = fs.find((f) => !isExposure(f) && isIndicator(f));
  if (ind) return { verdict: 'infected', why: `a family indicator (${ind.family ?? ind.pivot?.ioc.value}): ${ind.title}` };
  const reasons = fs.filter((f) => !isExposure(f) && !DERIVED.has(f.rule));
  const classes = [...new Set(reasons.map(reasonClass))];
  if (classes.length >= 2) return { verdict: 'infected', why: `${classes.length} independent reasons: ${classes.join(', ')}` };
  const weak = fs.filter((f) => !isExposure(f));
  if (weak.length) return { verdict: 'suspicious', why: `one reason: ${weak[0]!.title}` };
  const door = fs.find(isExposure);
  if (door) return { verdict: 'exposed', why: `an open door: ${door.title}` };
  if (input.status !== 'ok') return { verdict: 'incomplete', why: `the probe did not run to the end (${input.status})` };
  if (input.incomplete?.length) return { verdict: 'incomplete', why: `probe sections missing: ${input.incomplete.join(', ')}` };
  return { verdict: 'clean', why: 'nothing found' };
}

/** Sections a host's probe did not finish, from its facts' meta.errors (until the probe records them itself). */
export function incompleteSections(meta: { errors: ReadonlyArray<{ section: string; message: string }> } | undefined): string[] {
  return [...new Set((meta?.errors ?? []).map((e) => e.section))];
}

/** How a verdict reads on a console line. */
export const VERDICT_WORD: Record<Verdict, string> = { infected: 'INFECTED', suspicious: 'SUSPICIOUS', exposed: 'EXPOSED', incomplete: 'INCOMPLETE', unreachable: 'UNREACHABLE', clean: 'CLEAN' };

/** A recorded host's verdict: the one it was given, else judged now (records written before verdicts). */
export function recordedVerdict(h: { status: string; findings: readonly Finding[]; verdict?: Verdict; incomplete?: readonly string[] }): Verdict {
  return h.verdict ?? hostVerdict({ status: h.status, findings: h.findings, ...(h.incomplete ? { incomplete: h.incomplete } : {}) }).verdict;
}
