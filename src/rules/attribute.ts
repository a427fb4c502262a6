import type { HostFacts } from '../facts/types.js';
import type { Artifact, Finding } from '../findings/types.js';
import { artifactKey } from '../evidence/artifact-key.js';

// Family attribution and process roles across one host's findings: a finding with no
// family of its own inherits one from a finding about the same thing (same artifact,
// same indicator); a process's role is decided once for all findings naming it.

// how the attacker got in, not what the family left behind
const EXPOSURE = /^(redis|firewall|docker)\./;

type ProcessArtifact = Extract<Artifact, { type: 'process' }>;

/** The artifact's own key, plus the file it lives in (a cron line inherits from its cron file). */
function keysOf(a: Artifact): string[] {
  const keys = [artifactKey(a)];
  if ('path' in a && a.type !== 'authorized-key' && a.type !== 'immutable') keys.push(`path:${a.path}`);
  return keys;
}

export function attribute(facts: HostFacts, findings: Finding[]): Finding[] {
  // 1. families through shared artifacts / indicators (two passes settle chains)
  for (let pass = 0; pass < 2; pass++) {
    const famByKey = new Map<string, string>();
    for (const f of findings) {
      if (!f.family) continue;
      for (const k of f.artifacts.flatMap(keysOf)) if (!famByKey.has(k)) famByKey.set(k, f.family);
      for (const i of f.iocs) if (i.type !== 'port' && !famByKey.has(`ioc:${i.value}`)) famByKey.set(`ioc:${i.value}`, f.family);
    }
    for (const f of findings) {
      if (f.family) continue;
      const fam = f.artifacts.flatMap(keysOf).map((k) => famByKey.get(k)).find(Boolean) ?? f.iocs.map((i) => famByKey.get(`ioc:${i.value}`)).find(Boolean);
      if (fam) {
        f.family = fam;
        f.familyInherited = true;
        f.iocs.forEach((i) => (i.family ??= fam));
      }
    }
  }
  // 1b. one family on the host: what is left (keys, locks, hidden pids) belongs to it; exposures stay the host's
  const families = new Set(findings.flatMap((f) => (f.family ? [f.family] : [])));
  if (families.size === 1) {
    const [only] = families;
    for (const f of findings) if (!f.family && !EXPOSURE.test(f.rule)) (f.family = only!), (f.familyInherited = true);
  }
  // 2. one role per pid: the catalogue's, else miner if anything says so, else watchdog if it parents a miner
  const procArts = findings.flatMap((f) => f.artifacts.filter((a): a is ProcessArtifact => a.type === 'process'));
  const catalogueRole = new Map<number, ProcessArtifact['role']>();
  for (const f of findings)
    if (f.rule === 'process.known-miner-name') for (const a of f.artifacts) if (a.type === 'process') catalogueRole.set(a.pid, a.role);
  const roles = new Map<number, ProcessArtifact['role']>();
  for (const a of procArts) {
    const r = catalogueRole.get(a.pid) ?? (procArts.some((b) => b.pid === a.pid && b.role === 'miner') ? 'miner' : undefined);
    if (r) roles.set(a.pid, r);
  }
  const ppid = new Map(facts.processes.map((p) => [p.pid, p.ppid]));
  for (const a of procArts)
    if (!roles.has(a.pid)) {
      const parentsMiner = [...roles.entries()].some(([pid, r]) => r === 'miner' && ppid.get(pid) === a.pid);
      roles.set(a.pid, parentsMiner ? 'watchdog' : 'other');
    }
  for (const a of procArts) a.role = roles.get(a.pid)!;
  return findings;
}

/** The families on a host, most findings first. */
export function hostFamilies(findings: Finding[]): string[] {
  const count = new Map<string, number>();
  for (const f of findings) if (f.family) count.set(f.family, (count.get(f.family) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([f]) => f);
}
