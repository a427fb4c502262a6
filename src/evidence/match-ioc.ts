import type { HostFacts, TextFile } from '../facts/types.js';
import type { Artifact, Evidence, Ioc } from '../findings/types.js';
import { byPid, lineEvidence, outbound, plainAddress, processArtifact, processEvidence, socketEvidence } from './finding.js';
import { commandLines } from './line-judge.js';
import { basename, stripDeleted } from './paths.js';

// Where one indicator shows up in one host's facts — used by the fleet pivot (IOCs found on
// other hosts) and by the ioc.known-indicator rule (IOCs from --ioc files). No I/O.

export interface IocMatch {
  /** what matched, in words */
  where: string;
  evidence: Evidence[];
  artifacts: Artifact[];
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A containment test that respects token edges: 1.2.3.4 is not in 11.2.3.45, /tmp/x not in /tmp/xy. */
function container(ioc: Ioc): (text: string) => boolean {
  const v = ioc.value;
  // a plain substring test first: the regex only runs on the few lines that hold the value
  if (ioc.type === 'ip') {
    const re = new RegExp(`(^|[^0-9.])${escapeRe(v)}($|[^0-9])`);
    return (t) => t.includes(v) && re.test(t);
  }
  if (ioc.type === 'domain') {
    const re = new RegExp(`(^|[^a-z0-9-])${escapeRe(v)}($|[^a-z0-9-]|\\.(?![a-z0-9]))`, 'i');
    return (t) => t.toLowerCase().includes(v) && re.test(t);
  }
  if (ioc.type === 'path') {
    const re = new RegExp(`${escapeRe(v)}($|[^A-Za-z0-9._-])`);
    return (t) => t.includes(v) && re.test(t);
  }
  return (t) => t.includes(v);
}

// all of a host's searchable text in one lower-cased string: a cheap "not here at all" test
const blobs = new WeakMap<HostFacts, string>();

/** Every text the pivot searches (cron, profiles, init, units, /etc/hosts, command lines), lower-cased. */
export function searchText(facts: HostFacts): string {
  let b = blobs.get(facts);
  if (b === undefined) {
    const parts = [...facts.cron, ...facts.profiles, ...facts.initScripts, ...facts.units].map((f) => f.content);
    parts.push(...facts.units.flatMap((u) => u.execStart), facts.etcHosts?.content ?? '', ...facts.processes.map((p) => p.argv.join(' ')));
    blobs.set(facts, (b = parts.join('\n').toLowerCase()));
  }
  return b;
}

function textMatches(facts: HostFacts, contains: (t: string) => boolean, value?: string): IocMatch[] {
  const out: IocMatch[] = [];
  if (value !== undefined && !searchText(facts).includes(value.toLowerCase())) return out;
  const lines = (files: TextFile[], kind: 'cron' | 'profile' | 'init'): void => {
    for (const f of files)
      for (const { lineNumber, line } of commandLines(f))
        if (contains(line))
          out.push({
            where: `${f.path} line ${lineNumber}`,
            evidence: [lineEvidence(f, lineNumber, line)],
            artifacts: [kind === 'cron' ? { type: 'cron-line', path: f.path, lineNumber, line } : { type: 'profile-line', path: f.path, lineNumber, line }],
          });
  };
  lines(facts.cron, 'cron');
  lines(facts.profiles, 'profile');
  lines(facts.initScripts, 'init');
  for (const u of facts.units)
    if (contains(u.execStart.join('\n')) || contains(u.content))
      out.push({
        where: `unit ${u.name}`,
        evidence: [{ kind: 'unit', text: u.execStart.map((e) => `ExecStart=${e}`).join('\n') || u.content.slice(0, 500), path: u.path, time: u.mtime }],
        artifacts: [{ type: 'unit', path: u.path, name: u.name, scope: u.scope }],
      });
  if (facts.etcHosts)
    for (const { lineNumber, line } of commandLines(facts.etcHosts))
      if (contains(line))
        out.push({
          where: `${facts.etcHosts.path} line ${lineNumber}`,
          evidence: [lineEvidence(facts.etcHosts, lineNumber, line)],
          artifacts: [{ type: 'hosts-entry', path: facts.etcHosts.path, lineNumber, line }],
        });
  for (const p of facts.processes)
    if (!p.kernelThread && contains(p.argv.join(' ')))
      out.push({ where: `the command line of pid ${p.pid}`, evidence: [processEvidence(p)], artifacts: [processArtifact(p, 'other')] });
  return out;
}

/** Every place in `facts` where `ioc` appears. */
export function matchIoc(facts: HostFacts, ioc: Ioc): IocMatch[] {
  const v = ioc.value;
  const procs = byPid(facts);
  switch (ioc.type) {
    case 'ip':
    case 'port': {
      const sockets = outbound(facts).filter((s) => (ioc.type === 'ip' ? plainAddress(s.remoteAddress) === v : String(s.remotePort) === v));
      const out: IocMatch[] = sockets.map((s) => {
        const p = s.pid !== null ? procs.get(s.pid) : undefined;
        const address = plainAddress(s.remoteAddress);
        return {
          where: `a connection to ${address}:${s.remotePort}`,
          evidence: [socketEvidence(s), ...(p ? [processEvidence(p)] : [])],
          artifacts: [{ type: 'egress', address, port: s.remotePort }, ...(p && !p.kernelThread ? [processArtifact(p, 'other')] : [])],
        };
      });
      return ioc.type === 'ip' ? [...out, ...textMatches(facts, container(ioc), v)] : out;
    }
    case 'domain':
    case 'url':
    case 'wallet':
      return textMatches(facts, container(ioc), v);
    case 'sha256': {
      const h = v.toLowerCase();
      const out: IocMatch[] = [];
      for (const p of facts.processes)
        if (p.exeSha256.toLowerCase() === h)
          out.push({ where: `pid ${p.pid} (${p.comm})`, evidence: [processEvidence(p)], artifacts: [processArtifact(p, 'other'), { type: 'file', path: stripDeleted(p.exe), reason: `sha256 ${h}` }] });
      for (const e of facts.executables)
        if (e.sha256.toLowerCase() === h && !out.some((m) => m.artifacts.some((a) => a.type === 'file' && a.path === e.path)))
          out.push({ where: e.path, evidence: [{ kind: 'hash', text: `${e.path} sha256 ${e.sha256}`, path: e.path, sha256: e.sha256 }], artifacts: [{ type: 'file', path: e.path, reason: `sha256 ${h}` }] });
      for (const b of facts.renamedBinaries)
        if (b.replacementSha256.toLowerCase() === h)
          out.push({ where: b.replacement, evidence: [{ kind: 'hash', text: `${b.replacement} sha256 ${h}`, path: b.replacement, sha256: h }], artifacts: [{ type: 'renamed-binary', original: b.original, replacement: b.replacement }] });
      return out;
    }
    case 'path': {
      const out: IocMatch[] = [];
      for (const p of facts.processes)
        if (!p.kernelThread && p.exe && stripDeleted(p.exe) === v)
          out.push({ where: `pid ${p.pid} runs it`, evidence: [processEvidence(p)], artifacts: [processArtifact(p, 'other'), { type: 'file', path: v, reason: 'dropped file seen elsewhere' }] });
      for (const e of facts.executables)
        if (e.path === v) out.push({ where: v, evidence: [{ kind: 'hash', text: `${e.path} sha256 ${e.sha256}`, path: e.path, sha256: e.sha256 }], artifacts: [{ type: 'file', path: v, reason: 'dropped file seen elsewhere' }] });
      for (const f of facts.recentFiles)
        if (f.path === v) out.push({ where: v, evidence: [{ kind: 'file', text: `${v} changed recently`, path: v, time: f.mtime }], artifacts: [{ type: 'file', path: v, reason: 'dropped file seen elsewhere' }] });
      if (facts.ldPreload && facts.ldPreload.content.split(/\s+/).includes(v))
        out.push({ where: facts.ldPreload.path, evidence: [{ kind: 'file', text: facts.ldPreload.content, path: facts.ldPreload.path }], artifacts: [{ type: 'preload', path: facts.ldPreload.path, entry: v }] });
      return [...out, ...textMatches(facts, container(ioc), v)];
    }
    case 'process-name':
      return facts.processes
        .filter((p) => !p.kernelThread && (p.comm === v || basename(p.argv[0] ?? '') === v))
        .map((p) => ({ where: `pid ${p.pid}`, evidence: [processEvidence(p)], artifacts: [processArtifact(p, 'other')] }));
    case 'key-fingerprint':
      return facts.authorizedKeys.flatMap((f) =>
        f.keys
          .filter((k) => k.fingerprint === v)
          .map((k) => ({
            where: `${f.path} line ${k.line}`,
            evidence: [{ kind: 'key' as const, text: k.raw, path: f.path, lineNumber: k.line, time: f.mtime }],
            artifacts: [{ type: 'authorized-key' as const, path: f.path, lineNumber: k.line, fingerprint: k.fingerprint, line: k.raw }],
          })),
      );
    case 'user':
      return facts.accounts
        .filter((a) => a.name === v)
        .map((a) => ({
          where: `account ${a.name}`,
          evidence: [{ kind: 'account' as const, text: `${a.name}:x:${a.uid}:${a.gid}:${a.gecos}:${a.home}:${a.shell}`, path: '/etc/passwd', lineNumber: a.line }],
          artifacts: [{ type: 'account' as const, name: a.name, uid: a.uid }],
        }));
  }
}
