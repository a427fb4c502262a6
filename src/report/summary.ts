import type { HostSection, Recommendation, Summary } from './types.js';

// The plain-language sentences of the first screen: headline, what was done, what remains.

const n = (count: number, one: string, many = one + 's') => `${count} ${count === 1 ? one : many}`;

/** "web01, web02 and 3 more" */
export function nameList(names: readonly string[], max = 4): string {
  if (names.length <= max) return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? '');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export type Counts = Pick<Summary, 'hostsSwept' | 'verdicts' | 'infected' | 'cleaned' | 'stillInfected' | 'open' | 'unreachable' | 'notChecked'>;

/** Hosts by verdict (findings/verdict.ts) for the headline: infected, and those with one reason or an open door. */
export interface VerdictCounts {
  infected: number;
  suspicious: number;
  exposed: number;
}

const be = (count: number, one: string, many: string) => (count === 1 ? one : many);

/** One sentence for the top of the page, from the hosts' states after the run's actions. */
export function headline(c: Counts, command = '', v?: VerdictCounts): string {
  const s = c.verdicts;
  const suspicious = v?.suspicious ?? s.suspicious;
  const exposed = v?.exposed ?? s.exposed;
  const more = suspicious || exposed ? ` ${[suspicious ? `${n(suspicious, 'server')} ${be(suspicious, 'is', 'are')} suspicious (one reason, to check)` : '', exposed ? `${n(exposed, 'server')} ${be(exposed, 'has', 'have')} an open door (exposed, not infected)` : ''].filter(Boolean).join('; ')}.` : '';
  const unreach = (c.unreachable ? ` ${n(c.unreachable, 'server')} could not be reached.` : '') + more;
  const checked = c.hostsSwept - c.unreachable - c.notChecked;
  const done = s.cleaned + s.closed;
  if (c.stillInfected === 0 && done === 0) return `No crypto-mining malware was found on the ${n(checked, 'server')} checked.${unreach}`;
  if (command === 'sweep' && done === 0)
    return `${c.stillInfected} of ${n(c.hostsSwept, 'server')} ${be(c.stillInfected, 'is', 'are')} infected with crypto-mining malware. This was a read-only sweep: nothing has been cleaned yet.${unreach}`;
  const did = [
    s.cleaned ? `${s.cleaned} of ${n(c.hostsSwept, 'server')} ${be(s.cleaned, 'was', 'were')} cleaned and verified` : '',
    s.closed ? `${n(s.closed, 'server')} had ${be(s.closed, 'its', 'their')} open doors closed and checked again` : '',
  ].filter(Boolean).join('; ');
  if (c.open === 0) return `Nothing is left open: ${did}.${c.unreachable ? ` ${n(c.unreachable, 'server')} could not be reached.` : ''}`;
  const still = c.stillInfected ? ` ${c.stillInfected} ${be(c.stillInfected, 'is', 'are')} still infected${s.reinfected ? ` (${s.reinfected} came back after cleaning)` : ''}.` : '';
  return `${did ? `${did[0]!.toUpperCase()}${did.slice(1)}.` : `Nothing was cleaned or closed on the ${n(c.hostsSwept, 'server')}.`}${still}${unreach}`;
}

export interface DoneInput {
  command: string;
  apply: boolean;
  hosts: HostSection[];
}

/** What this run did, in sentences. */
export function whatWasDone({ command, apply, hosts }: DoneInput): string[] {
  const out: string[] = [`Checked ${n(hosts.length, 'server')} for crypto-mining malware and the traces it leaves.`];
  if (!apply && command !== 'sweep') out.push('This was a plan only: nothing on the servers was changed.');
  const cleanedOn = apply ? hosts.filter((h) => h.actions.some((a) => !a.hardening && a.status === 'changed' && a.task !== 'evidence')) : [];
  const planned = apply ? [] : hosts.filter((h) => h.actions.some((a) => a.steps.length > 0));
  if (planned.length) out.push(`Prepared a clean-up plan for ${n(planned.length, 'server')}; run again with --apply to carry it out.`);
  const files = hosts.reduce((s, h) => s + h.quarantine.length, 0);
  if (cleanedOn.length)
    out.push(
      `Removed the malware on ${n(cleanedOn.length, 'server')}: stopped its processes, deleted its scheduled jobs and start-up entries` +
        (files ? `, and moved ${n(files, 'file')} to quarantine (kept, and can be restored).` : '.'),
    );
  const verified = hosts.filter((h) => h.verification?.state === 'clean' && h.findings.length > 0);
  if (verified.length) out.push(`${n(verified.length, 'cleaned server')} ${verified.length === 1 ? 'was' : 'were'} checked again later and stayed clean.`);
  const hardened = new Map<string, Set<string>>();
  for (const h of hosts) for (const a of h.actions) if (a.hardening && (a.status === 'changed' || a.status === 'ok')) (hardened.get(a.hardening) ?? hardened.set(a.hardening, new Set()).get(a.hardening)!).add(h.name);
  const AREA = { firewall: 'firewall rules', redis: 'Redis', ssh: 'SSH access' } as Record<string, string>;
  if (hardened.size)
    out.push(`Closed the holes: ${[...hardened].map(([area, on]) => `${AREA[area] ?? area} on ${n(on.size, 'server')}`).join(', ')}.`);
  const failed = hosts.filter((h) => h.actions.some((a) => a.status === 'failed'));
  if (failed.length) out.push(`Some actions failed on ${n(failed.length, 'server')}: ${nameList(failed.map((h) => h.name))} (details below).`);
  return out;
}

/** What is left to do, in sentences; says so plainly when nothing is. */
export function whatRemains(c: Counts, hosts: HostSection[], recs: Recommendation[], command: string): string[] {
  const out: string[] = [];
  const still = hosts.filter((h) => h.state === 'infected' || h.state === 'reinfected');
  const back = still.filter((h) => h.verification?.state === 'reinfected');
  if (back.length) out.push(`The infection came back after cleaning on ${n(back.length, 'server')}: ${nameList(back.map((h) => h.name))}. Its source must be found before cleaning again.`);
  const unverified = still.filter((h) => h.verification?.state === 'unreachable');
  if (unverified.length)
    out.push(`${n(unverified.length, 'server')} could not be reached when checked again after cleaning: ${nameList(unverified.map((h) => h.name))}. Check ${unverified.length === 1 ? 'it' : 'them'} again.`);
  const unfinished = still.filter((h) => h.verification?.state === 'infected');
  if (unfinished.length)
    out.push(`The cleaning did not finish on ${n(unfinished.length, 'server')}: ${nameList(unfinished.map((h) => h.name))}; the check afterwards still found the malware. Clean ${unfinished.length === 1 ? 'it' : 'them'} again (minesweep remediate --apply).`);
  const rest = still.filter((h) => !['reinfected', 'unreachable', 'infected'].includes(h.verification?.state ?? ''));
  if (rest.length)
    out.push(
      command === 'sweep'
        ? `Clean the ${n(rest.length, 'infected server')} (minesweep remediate --apply), then check them again.`
        : `${n(rest.length, 'server')} ${rest.length === 1 ? 'is' : 'are'} still infected: ${nameList(rest.map((h) => h.name))}.`,
    );
  const exposed = hosts.filter((h) => h.state === 'exposed');
  if (exposed.length && command !== 'sweep') out.push(`${n(exposed.length, 'server')} still ${be(exposed.length, 'has', 'have')} an open door: ${nameList(exposed.map((h) => h.name))} (minesweep harden --apply).`);
  const suspicious = hosts.filter((h) => h.state === 'suspicious');
  if (suspicious.length) out.push(`Check ${n(suspicious.length, 'suspicious server')} by hand (one reason each): ${nameList(suspicious.map((h) => h.name))}.`);
  if (c.unreachable) out.push(`${n(c.unreachable, 'server')} could not be reached and ${c.unreachable === 1 ? 'was' : 'were'} not checked: ${c.unreachable === 1 ? 'it' : 'they'} may be infected too.`);
  if (c.notChecked) out.push(`${n(c.notChecked, 'server')} could not be checked because of errors (details below).`);
  const holes = recs.filter((r) => r.area !== 'general' && r.hosts.length);
  if (holes.length) {
    const on = new Set(holes.flatMap((r) => r.hosts));
    out.push(`Close the way in on ${n(on.size, 'server')} (see "Hardening" below).`);
  }
  if (!out.length) out.push('Nothing urgent: every server checked is clean and no open way in was found.');
  return out;
}
