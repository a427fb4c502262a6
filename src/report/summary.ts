import type { HostSection, Recommendation, Summary } from './types.js';

// The plain-language sentences of the first screen: headline, what was done, what remains.

const n = (count: number, one: string, many = one + 's') => `${count} ${count === 1 ? one : many}`;

/** "web01, web02 and 3 more" */
export function nameList(names: readonly string[], max = 4): string {
  if (names.length <= max) return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? '');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export type Counts = Pick<Summary, 'hostsSwept' | 'infected' | 'cleaned' | 'stillInfected' | 'unreachable' | 'notChecked'>;

/** Hosts by verdict (findings/verdict.ts) for the headline: infected, and those with one reason or an open door. */
export interface VerdictCounts {
  infected: number;
  suspicious: number;
  exposed: number;
}

/** One sentence for the top of the page (a read-only sweep counts hosts by verdict when given). */
export function headline(c: Counts, command = '', v?: VerdictCounts): string {
  const more = v && (v.suspicious || v.exposed) ? ` ${[v.suspicious ? `${n(v.suspicious, 'server')} ${v.suspicious === 1 ? 'is' : 'are'} suspicious (one reason, to check)` : '', v.exposed ? `${n(v.exposed, 'server')} ${v.exposed === 1 ? 'has' : 'have'} an open door (exposed, not infected)` : ''].filter(Boolean).join('; ')}.` : '';
  const unreach = (c.unreachable ? ` ${n(c.unreachable, 'server')} could not be reached.` : '') + more;
  if (v && command === 'sweep' && c.cleaned === 0) {
    if (v.infected === 0) return `No crypto-mining malware was found on the ${n(c.hostsSwept - c.unreachable - c.notChecked, 'server')} checked.${unreach}`;
    return `${v.infected} of ${n(c.hostsSwept, 'server')} ${v.infected === 1 ? 'is' : 'are'} infected with crypto-mining malware. This was a read-only sweep: nothing has been cleaned yet.${unreach}`;
  }
  if (c.infected === 0) return `No crypto-mining malware was found on the ${n(c.hostsSwept - c.unreachable - c.notChecked, 'server')} checked.${unreach}`;
  if (c.cleaned === 0 && command === 'sweep')
    return `${c.infected} of ${n(c.hostsSwept, 'server')} ${c.infected === 1 ? 'is' : 'are'} infected with crypto-mining malware. This was a read-only sweep: nothing has been cleaned yet.${unreach}`;
  if (c.stillInfected === 0) return `All ${n(c.infected, 'infected server')} (of ${c.hostsSwept}) have been cleaned and stayed clean when checked again.${unreach}`;
  return `${c.infected} of ${n(c.hostsSwept, 'server')} were infected with crypto-mining malware; ${c.stillInfected} ${c.stillInfected === 1 ? 'is' : 'are'} still infected.${unreach}`;
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
  const still = hosts.filter((h) => h.state === 'still-infected');
  const back = still.filter((h) => h.verification?.state === 'reinfected');
  if (back.length) out.push(`The infection came back after cleaning on ${n(back.length, 'server')}: ${nameList(back.map((h) => h.name))}. Its source must be found before cleaning again.`);
  const unverified = still.filter((h) => h.verification?.state === 'unreachable');
  if (unverified.length)
    out.push(`${n(unverified.length, 'server')} could not be reached when checked again after cleaning: ${nameList(unverified.map((h) => h.name))}. Check ${unverified.length === 1 ? 'it' : 'them'} again.`);
  const rest = still.filter((h) => h.verification?.state !== 'reinfected' && h.verification?.state !== 'unreachable');
  if (rest.length)
    out.push(
      command === 'sweep'
        ? `Clean the ${n(rest.length, 'infected server')} (minesweep remediate --apply), then check them again.`
        : `${n(rest.length, 'server')} ${rest.length === 1 ? 'is' : 'are'} still infected: ${nameList(rest.map((h) => h.name))}.`,
    );
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
