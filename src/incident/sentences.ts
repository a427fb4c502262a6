import type { RunRecord } from '../run/types.js';
import { hardeningArea } from '../report/hardening.js';
import { nameList } from '../report/summary.js';
import type { HostState } from '../report/types.js';
import type { IncidentFinding, IncidentHost } from './types.js';

// The incident's first screen in plain sentences: the headline, what is still open, and who
// must act on what because of what was done (new Redis passwords, SSH password logins off).

const n = (count: number, one: string, many = one + 's') => `${count} ${count === 1 ? one : many}`;
const be = (count: number, one: string, many: string) => (count === 1 ? one : many);

export interface SentenceInput {
  name: string;
  runs: readonly RunRecord[];
  hosts: readonly IncidentHost[];
  findings: readonly IncidentFinding[];
  verdicts: Record<HostState, number>;
  affected: number;
  over: boolean;
  last: RunRecord | undefined;
}

/** Hosts where an applied hardening run changed this area, with the run that did. */
function hardened(runs: readonly RunRecord[], area: 'redis' | 'ssh' | 'firewall'): Array<{ host: string; run: string }> {
  const out = new Map<string, string>();
  for (const r of runs) {
    if (!r.apply) continue;
    for (const h of r.hosts) if (h.tasks.some((t) => t.status === 'changed' && hardeningArea(t, r.command) === area)) out.set(h.name, r.id);
  }
  return [...out].map(([host, run]) => ({ host, run }));
}

export function incidentSentences(i: SentenceInput): { headline: string; open: string[]; act: string[] } {
  const v = i.verdicts;
  const names = (s: HostState) => i.hosts.filter((h) => h.state === s).map((h) => h.name);
  const openFindings = i.findings.filter((f) => f.status !== 'done');
  const openHosts = [...new Set(openFindings.map((f) => f.host))];
  const done = [v.cleaned ? `${v.cleaned} cleaned` : '', v.closed ? `${v.closed} with ${be(v.closed, 'its', 'their')} open doors closed` : ''].filter(Boolean).join(', ');
  // what keeps an incident with nothing open from being over: hosts not reached (or not fully probed) by the last run that tried
  const unchecked = i.hosts.filter((h) => h.state === 'unreachable' || h.state === 'incomplete' || (h.unreachable && h.findings.total > 0)).length;
  const headline = i.affected === 0
    ? `No crypto-mining malware and no open door found on the ${n(i.hosts.length, 'server')} of incident ${i.name}.`
    : i.over
      ? `Over: ${i.affected} of ${n(i.hosts.length, 'server')} were affected (${done}); nothing is open${i.last ? ` since ${i.last.id}` : ''}.`
      : `Not over: ${openFindings.length ? `${n(openFindings.length, 'finding')} open on ${n(openHosts.length, 'server')}` : `no finding open, but ${n(unchecked, 'server')} not checked since`}; ${i.affected} of ${n(i.hosts.length, 'server')} affected${done ? ` (${done} so far)` : ''}.`;

  const open: string[] = [];
  const back = names('reinfected');
  if (back.length) open.push(`The infection came back on ${n(back.length, 'server')}: ${nameList(back)}. Find its source before cleaning again.`);
  const infected = names('infected');
  if (infected.length) open.push(`Still infected: ${nameList(infected)} (minesweep remediate --apply --incident ${i.name}).`);
  const exposed = names('exposed');
  if (exposed.length) open.push(`Open doors left on ${nameList(exposed)} (minesweep harden --apply --incident ${i.name}).`);
  const suspicious = names('suspicious');
  if (suspicious.length) open.push(`To check by hand (one reason each): ${nameList(suspicious)}.`);
  const unreachable = names('unreachable');
  if (unreachable.length) open.push(`${n(unreachable.length, 'server')} could not be reached and ${be(unreachable.length, 'was', 'were')} never checked: ${nameList(unreachable)}.`);
  const lost = i.hosts.filter((h) => h.unreachable && h.state !== 'unreachable');
  if (lost.length) open.push(`${nameList(lost.map((h) => h.name))} could not be reached by the last run that tried (${lost.map((h) => `${h.name}: ${h.unreachable!.run}, ${h.unreachable!.reason}`).join('; ')}): what is open there stays open until a run (remediate or sweep --incident ${i.name}) reaches ${be(lost.length, 'it', 'them')} again.`);
  const incomplete = names('incomplete');
  if (incomplete.length) open.push(`The last check of ${nameList(incomplete)} did not finish: sweep ${be(incomplete.length, 'it', 'them')} again.`);
  if (!open.length) open.push(i.affected ? 'Nothing: every finding was removed or closed, and checked again.' : 'Nothing.');

  const act: string[] = [];
  const redis = hardened(i.runs, 'redis');
  if (redis.length)
    act.push(`Application owners: Redis on ${nameList(redis.map((r) => r.host))} now needs a password. Give the applications that use ${be(redis.length, 'it', 'them')} the new password, kept (owner-only) in the secrets/ directory of run ${[...new Set(redis.map((r) => r.run))].join(', ')}; it is not in this report.`);
  const ssh = hardened(i.runs, 'ssh');
  if (ssh.length) act.push(`Server users: SSH on ${nameList(ssh.map((r) => r.host))} takes allowed keys only (no passwords, planted keys removed): anyone who logs in otherwise needs a key added to the allowlist.`);
  const fw = hardened(i.runs, 'firewall');
  if (fw.length) act.push(`Network team: ${nameList(fw.map((r) => r.host))} now block${fw.length === 1 ? 's' : ''} the pool and C2 addresses and world-open datastore ports; mirror the block at the perimeter.`);
  const owners = [...unreachable, ...lost.map((h) => h.name)];
  if (owners.length) act.push(`Owners of ${nameList(owners)}: make ${be(owners.length, 'it', 'them')} reachable over SSH so ${be(owners.length, 'it', 'they')} can be swept.`);
  if (i.over && i.affected) act.push(`Responders: keep a scheduled sweep (minesweep sweep --baseline latest --notify URL) running for a few weeks to catch a return.`);
  return { headline, open, act };
}
