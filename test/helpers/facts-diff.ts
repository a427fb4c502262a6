import { createHash } from 'node:crypto';
import { encodeLossless } from '../../src/core/bytes.js';
import type { HostFacts, ProcessFact, TextFile } from '../../src/facts/types.js';

// Field-by-field comparison of two probes' facts of one host taken seconds apart (the probe
// before issue 14 and after it). What may differ between two runs is left out, and only that:
// clocks and counters (uptime, load, CPU %, run times, output size), the probe's own processes
// and its SSH session (self, its descendants, the sshd processes above it, their sockets,
// TIME-WAIT remnants of its connections), and
// processes younger than 10 s, files that now travel as a hash (content '' with `verified`: compared by sha256 of the old
// content when the old one was whole).

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * What the probe reads that the baseline (before issue 14) did not: the detection work
 * (issue 13) added update-motd.d and udev rules to the init section, and the sections
 * integrity and markers (not compared: new facts). Both sides leave these paths out.
 */
const NEW_COVERAGE = /^\/etc\/(update-motd\.d|udev\/rules\.d)\//;

/** The probe's own shell (`sh -s`), everything under it, and the sshd session processes above it. */
function probeTree(f: HostFacts): Set<number> {
  const own = new Set<number>();
  const self = f.processes.find((p) => p.argv.length === 2 && p.argv[0] === 'sh' && p.argv[1] === '-s')?.pid;
  if (self === undefined) return own;
  own.add(self);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of f.processes) if (!own.has(p.pid) && own.has(p.ppid)) own.add(p.pid), (grew = true);
  }
  const byPid = new Map(f.processes.map((p) => [p.pid, p]));
  for (let p = byPid.get(self); p; p = byPid.get(p.ppid)) {
    const up = byPid.get(p.ppid);
    if (!up || up.ppid <= 1) break; // stop below the sshd listener (a daemon under PID 1)
    if (up.comm === 'sshd') own.add(up.pid);
  }
  return own;
}

function proc(p: ProcessFact): Json {
  const { cpuPercent: _c, elapsedSeconds: _e, ...rest } = p;
  return rest as unknown as Json;
}

function file(f: TextFile, other: TextFile | undefined): Json {
  const out: Record<string, unknown> = { ...f };
  const v = (f as TextFile & { verified?: unknown }).verified;
  if (v !== undefined || (other as (TextFile & { verified?: unknown }) | undefined)?.verified !== undefined) {
    // a verified file travels as a hash: the old whole content must hash to it
    delete out['content'];
    delete out['verified'];
    delete out['sha256'];
  }
  return out as Json;
}

/** The parts of one host's facts two probe runs must agree on, as plain JSON. */
export function comparable(f: HostFacts, other?: HostFacts): Record<string, Json> {
  const own = probeTree(f);
  const files = (list: TextFile[] | null | undefined, others: TextFile[] | null | undefined): Json =>
    (list ?? []).map((x) => file(x, (others ?? []).find((o) => o.path === x.path)));
  const one = (x: TextFile | null, o: TextFile | null | undefined): Json => (x ? file(x, o ?? undefined) : null);
  // processes younger than 10 s at either probe may be born or gone between the two (the lab's init loop `sleep 5`)
  const young = (p: ProcessFact): boolean => p.startTime > f.collectedAt - 10 || (other !== undefined && p.startTime > other.collectedAt - 10);
  const procs = f.processes.filter((p) => !own.has(p.pid) && !young(p)).map(proc).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const sockets = f.sockets
    // the SSH session's own connection, and TIME-WAIT remnants (the earlier probe's redis-cli PINGs)
    .filter((s) => !(s.pid !== null && own.has(s.pid)) && !(s.localPort === 22 && s.state !== 'LISTEN') && s.state !== 'TIME-WAIT')
    .map((s) => s as unknown as Json)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    hostname: f.hostname,
    kernel: f.kernel as unknown as Json,
    cpuCount: f.cpuCount,
    processes: procs,
    hiddenPids: f.hiddenPids as unknown as Json,
    sockets,
    cron: files(f.cron, other?.cron),
    units: files(f.units, other?.units),
    initScripts: files(f.initScripts.filter((x) => !NEW_COVERAGE.test(x.path)), other?.initScripts),
    profiles: files(f.profiles, other?.profiles),
    ldPreload: one(f.ldPreload, other?.ldPreload),
    ldSoConfD: files(f.ldSoConfD, other?.ldSoConfD),
    etcHosts: one(f.etcHosts, other?.etcHosts),
    accounts: f.accounts as unknown as Json,
    shadow: f.shadow as unknown as Json,
    sudoers: files(f.sudoers, other?.sudoers),
    authorizedKeys: files(f.authorizedKeys, other?.authorizedKeys),
    authorizedKeysFileSetting: f.authorizedKeysFileSetting,
    sshdConfig: one(f.sshdConfig, other?.sshdConfig),
    attributes: Object.fromEntries(Object.entries(f.attributes).filter(([p]) => !NEW_COVERAGE.test(p))) as unknown as Json,
    renamedBinaries: f.renamedBinaries as unknown as Json,
    executables: f.executables.filter((e) => e.pid === undefined || !own.has(e.pid)) as unknown as Json,
    redis: f.redis as unknown as Json,
    iptables: f.iptables as unknown as Json,
    docker: f.docker as unknown as Json,
    recentFiles: f.recentFiles as unknown as Json,
    knownPaths: (f.knownPaths ?? []) as unknown as Json,
    truncated: f.meta.truncated,
    errors: f.meta.errors as unknown as Json,
  };
}

/** Files that travel as a hash in `after` whose whole content in `before` does not hash to it. */
export function hashMismatches(before: HostFacts, after: HostFacts): string[] {
  const all = (f: HostFacts): TextFile[] => [...f.cron, ...f.units, ...f.initScripts, ...f.profiles, ...f.ldSoConfD, ...f.sudoers, ...f.authorizedKeys];
  const old = new Map(all(before).map((x) => [x.path, x]));
  const out: string[] = [];
  for (const x of all(after) as Array<TextFile & { verified?: unknown; sha256?: string }>) {
    const o = old.get(x.path);
    if (x.verified === undefined || !o || o.excerpt || o.truncated) continue;
    const h = createHash('sha256').update(encodeLossless(o.content)).digest('hex');
    if (x.sha256 && x.sha256 !== h) out.push(x.path);
  }
  return out;
}
