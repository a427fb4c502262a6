// Times in the report: UTC, minute precision for people, ISO for machines.

/** ISO 8601 from seconds since epoch; '' when not a valid time. */
export function isoFromSeconds(s: number): string {
  return isoFromMs(s * 1000);
}

/** ISO 8601 from milliseconds since epoch; '' when not a valid time. */
export function isoFromMs(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(ms) && !Number.isNaN(d.getTime()) ? d.toISOString() : '';
}

/** Milliseconds since epoch of an ISO string, NaN when unparsable. */
export function msFromIso(iso: string | undefined): number {
  return iso ? Date.parse(iso) : NaN;
}

/** "2026-11-20 03:12 UTC" for people. */
export function humanTime(iso: string): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'unknown time';
}

/** "4 min 12 s", "2 h 5 min", "3 days 4 h" */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} days ${h % 24} h`;
}
