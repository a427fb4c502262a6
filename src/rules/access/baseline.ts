import type { HostFacts } from '../../facts/types.js';

// The host's baseline: when its accounts were set up. The median /etc/shadow last-change day of
// the accounts that have one (system accounts share the install day); an account changed well
// after it was made later than the host.

const DAY = 86400;
/** days after the baseline from which an account counts as newer than the host */
export const NEWER_DAYS = 7;

export function baselineDay(facts: HostFacts): number | null {
  const days = facts.shadow.flatMap((s) => (s.lastChange && s.lastChange > 0 ? [s.lastChange] : [])).sort((a, b) => a - b);
  return days.length >= 3 ? days[Math.floor(days.length / 2)]! : null;
}

/** The account was created or changed at least NEWER_DAYS after the host's baseline. */
export function newerThanHost(facts: HostFacts, user: string): boolean {
  const base = baselineDay(facts);
  const s = facts.shadow.find((x) => x.name === user);
  return base !== null && s?.lastChange != null && s.lastChange >= base + NEWER_DAYS;
}

export const dayToEpoch = (d: number): number => d * DAY;
