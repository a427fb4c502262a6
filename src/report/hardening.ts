import type { HostStatus } from '../core/result.js';
import type { HostRun, TaskRecord } from '../run/types.js';
import type { EntryPoint, HardeningArea, HardeningRow, Recommendation } from './types.js';

// Hardening: which firewall / Redis / SSH tasks ran on which host with what outcome, and
// what is still recommended where the evidence shows a hole nothing has closed yet.

/** The hardening area of a task (from play, task name, tags, module), null when not hardening. */
export function hardeningArea(t: TaskRecord, command: string): HardeningArea | null {
  const hay = `${t.play} ${t.task} ${t.tags.join(' ')}`.toLowerCase();
  const isHardening = command === 'harden' || /harden/.test(hay);
  if (!isHardening) return null;
  const all = `${hay} ${t.module}`.toLowerCase();
  if (/redis/.test(all)) return 'redis';
  if (/iptables|firewall|egress|ingress/.test(all)) return 'firewall';
  if (/ssh|authorized_key|authorized-key/.test(all)) return 'ssh';
  return null;
}

const WORST: readonly HostStatus[] = ['failed', 'unreachable', 'changed', 'ok', 'skipped'];

/** The worst of two statuses (failed > unreachable > changed > ok > skipped). */
export function worstStatus(a: HostStatus, b: HostStatus): HostStatus {
  return WORST.indexOf(a) <= WORST.indexOf(b) ? a : b;
}

/** One row per host and area where hardening tasks ran. */
export function hardeningRows(hosts: HostRun[], command: string): HardeningRow[] {
  const rows: HardeningRow[] = [];
  for (const h of hosts) {
    const byArea = new Map<HardeningArea, HardeningRow>();
    for (const t of h.tasks) {
      const area = hardeningArea(t, command);
      if (!area) continue;
      const row = byArea.get(area);
      if (!row) byArea.set(area, { host: h.name, area, status: t.status, tasks: 1, ...(t.message ? { message: t.message } : {}) });
      else {
        row.tasks++;
        row.status = worstStatus(row.status, t.status);
        if (t.message && (t.status === 'failed' || !row.message)) row.message = t.message;
      }
    }
    for (const area of ['firewall', 'redis', 'ssh'] as const) {
      const row = byArea.get(area);
      if (row) rows.push(row);
    }
  }
  return rows;
}

const RECOMMEND: Record<string, { area: Recommendation['area']; text: string }> = {
  'redis-open': {
    area: 'redis',
    text: 'Close Redis: listen on loopback only, turn protected mode on, set a password (minesweep harden generates one and keeps it out of this report), and give the new password to the applications that use Redis.',
  },
  'datastore-open-to-world': { area: 'firewall', text: 'Remove the firewall rules that open database ports to the internet; allow only the application servers.' },
  'docker-api': { area: 'firewall', text: 'Stop exposing the Docker API on the network, or protect it with TLS client certificates.' },
  'planted-key': { area: 'ssh', text: 'Reduce SSH authorized_keys to a known list of keys and lock the file (minesweep harden does both).' },
  'backdoor-account': { area: 'general', text: 'Remove the back-door accounts and review who can log in.' },
  'weak-ssh': { area: 'ssh', text: 'Turn off SSH password and direct root login (PasswordAuthentication no, PermitRootLogin prohibit-password).' },
};

/** What is still recommended: each way in, on the hosts where no successful hardening of that area ran. */
export function recommendations(entries: EntryPoint[], applied: HardeningRow[], opts: { infected: number; unreachable: string[] }): Recommendation[] {
  const done = new Set(applied.filter((r) => r.status === 'ok' || r.status === 'changed').map((r) => `${r.host}\0${r.area}`));
  const out: Recommendation[] = [];
  for (const e of entries) {
    const rec = RECOMMEND[e.kind];
    if (!rec) continue;
    const hosts = rec.area === 'general' ? e.hosts : e.hosts.filter((h) => !done.has(`${h}\0${rec.area}`));
    if (hosts.length) out.push({ area: rec.area, text: rec.text, hosts });
  }
  if (opts.unreachable.length)
    out.push({ area: 'general', text: 'Sweep the hosts that could not be reached once they are back: they may be infected too.', hosts: opts.unreachable });
  if (opts.infected > 0)
    out.push({
    area: 'general',
    text: 'Rotate credentials that lived on infected hosts (SSH keys, database and application passwords), and watch for the addresses in the indicator table.',
    hosts: [],
  });
  return out;
}
