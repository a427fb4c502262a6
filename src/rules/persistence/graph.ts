import type { HostFacts, TextFile } from '../../facts/types.js';
import type { Artifact } from '../../findings/types.js';
import { execProgram } from '../unit/exec-from-writable-dir.js';
import { commandLines } from '../../evidence/line-judge.js';
import { integrityOf } from '../integrity/lookup.js';

// The persistence graph: every entry of every mechanism the probe collected, resolved to what
// it runs. Entries whose file is itself the program (init.d, cron.hourly/*, update-motd.d,
// profile.d scripts) run that file; line entries run the absolute paths on their line that are
// executables the probe checked (facts.integrity); units run their Exec* programs; timers,
// paths and sockets start a unit.

export type Mechanism = 'cron' | 'unit' | 'init.d' | 'rc' | 'motd' | 'udev' | 'profile';

export interface PersistenceEntry {
  mechanism: Mechanism;
  file: TextFile;
  lineNumber?: number;
  /** the command text (a line, or ExecStart values) */
  line: string;
  /** files it runs */
  targets: string[];
  artifact: Artifact;
  /** timers, paths, sockets: the unit they start */
  starts?: string;
}

const SCRIPT_DIR = /^\/etc\/(init\.d|cron\.(hourly|daily|weekly|monthly)|update-motd\.d|profile\.d)\//;

/** Absolute paths on a line that are files the integrity table knows (executables and libraries). */
export function lineTargets(facts: HostFacts, line: string, home?: string): string[] {
  const text = home ? expandHome(line, home) : line;
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:^|[\s;&|'"=(:])(\/[A-Za-z0-9_./+-]+)/g)) {
    const f = integrityOf(facts, m[1]!);
    if (f) out.add(f.path);
  }
  return [...out];
}

/** ~/x, $HOME/x and ${HOME}/x in a user's start-up file, with the user's home. */
export const expandHome = (line: string, home: string): string => line.replace(/(^|[\s;&|'"=(:])(?:~|\$HOME|\$\{HOME\})(?=\/)/g, (_, pre: string) => pre + home);

/** The home a start-up file belongs to (from /etc/passwd), when it lives in one. */
export function homeOf(facts: HostFacts, path: string): string | undefined {
  return facts.accounts.map((a) => a.home).filter((h) => h && h !== '/' && path.startsWith(`${h}/`)).sort((a, b) => b.length - a.length)[0];
}

const memo = new WeakMap<HostFacts, PersistenceEntry[]>();

/** Every persistence entry of the host (memoised per facts object). */
export function persistenceEntries(facts: HostFacts): PersistenceEntry[] {
  let out = memo.get(facts);
  if (out) return out;
  out = [];
  const fileEntry = (mechanism: Mechanism, f: TextFile, artifact: Artifact): PersistenceEntry => ({ mechanism, file: f, line: f.path, targets: [f.path], artifact });
  for (const f of facts.cron) {
    if (SCRIPT_DIR.test(f.path)) out.push(fileEntry('cron', f, { type: 'file', path: f.path, reason: 'cron script' }));
    else for (const { lineNumber, line } of commandLines(f)) out.push({ mechanism: 'cron', file: f, lineNumber, line, targets: lineTargets(facts, line), artifact: { type: 'cron-line', path: f.path, lineNumber, line } });
  }
  for (const u of facts.units) {
    const art: Artifact = { type: 'unit', path: u.path, name: u.name, scope: u.scope };
    const starts = /\.(timer|path|socket)$/.test(u.name) ? (/^\s*Unit\s*=\s*(\S+)/m.exec(u.content)?.[1] ?? u.name.replace(/\.(timer|path|socket)$/, '.service')) : undefined;
    const execs = u.content.split('\n').flatMap((l) => /^\s*Exec[A-Za-z]*\s*=\s*(.*)$/.exec(l)?.[1]?.trim() ?? []);
    const targets = new Set(execs.flatMap((e) => [execProgram(e), ...lineTargets(facts, e)]).filter((p) => integrityOf(facts, p)).map((p) => integrityOf(facts, p)!.path));
    out.push({ mechanism: 'unit', file: u, line: execs.join('\n'), targets: [...targets], artifact: art, ...(starts ? { starts } : {}) });
  }
  for (const f of facts.initScripts) {
    if (f.linkTarget !== undefined) continue;
    if (/^\/etc\/init\.d\//.test(f.path)) out.push(fileEntry('init.d', f, { type: 'init-script', path: f.path }));
    else if (/^\/etc\/update-motd\.d\//.test(f.path)) out.push(fileEntry('motd', f, { type: 'init-script', path: f.path }));
    else {
      const mech: Mechanism = /^\/etc\/udev\//.test(f.path) ? 'udev' : 'rc';
      for (const { lineNumber, line } of commandLines(f)) out.push({ mechanism: mech, file: f, lineNumber, line, targets: lineTargets(facts, line), artifact: { type: 'profile-line', path: f.path, lineNumber, line } });
    }
  }
  for (const f of facts.profiles) {
    if (SCRIPT_DIR.test(f.path)) out.push(fileEntry('profile', f, { type: 'file', path: f.path, reason: 'profile.d script' }));
    const home = homeOf(facts, f.path);
    for (const { lineNumber, line } of commandLines(f)) out.push({ mechanism: 'profile', file: f, lineNumber, line, targets: lineTargets(facts, line, home), artifact: { type: 'profile-line', path: f.path, lineNumber, line } });
  }
  memo.set(facts, out);
  return out;
}

/** init.d scripts that rc?.d links start at boot (by name, any runlevel). */
export function rcLinked(facts: HostFacts): Set<string> {
  const out = new Set<string>();
  for (const f of facts.initScripts)
    if (f.linkTarget && /^\/etc\/rc[0-6S]\.d\//.test(f.path)) out.add(`/etc/init.d/${f.linkTarget.slice(f.linkTarget.lastIndexOf('/') + 1)}`);
  return out;
}
