import type { TimelineEvent } from './types.js';

// The timeline table: the same event on many servers within the same minute is one row
// ("checked again: clean — 45 servers"), so 1,000 hosts stay readable. First traces stay per host.

export interface TimelineRow {
  iso: string;
  kind: TimelineEvent['kind'];
  text: string;
  family?: string;
  hosts: string[];
}

const MERGEABLE = new Set<TimelineEvent['kind']>(['action', 'quarantine', 'verification']);

/** Rows for the table, oldest first. */
export function timelineRows(events: readonly TimelineEvent[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  const open = new Map<string, TimelineRow>();
  for (const e of events) {
    const key = `${e.kind}\0${e.iso.slice(0, 16)}\0${e.text}`;
    const row = MERGEABLE.has(e.kind) ? open.get(key) : undefined;
    if (row) {
      if (e.host) row.hosts.push(e.host);
      continue;
    }
    const fresh: TimelineRow = { iso: e.iso, kind: e.kind, text: e.text, ...(e.family ? { family: e.family } : {}), hosts: e.host ? [e.host] : [] };
    rows.push(fresh);
    if (MERGEABLE.has(e.kind)) open.set(key, fresh);
  }
  return rows;
}
