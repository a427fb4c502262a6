import type { HostFacts, TextFile } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import { safeName } from './safe-name.js';
import { writeEvidenceFile, writeRunJson, type EvidenceEntry } from './run-dir.js';

// Evidence preserved before anything changes: copies (from the facts, no extra round trip)
// of every cron/unit/preload/key/profile/init/hosts file a finding points at, and the
// hashes of the suspicious executables.

/** Every text file the facts hold, by host path. */
export function textFilesOf(facts: HostFacts): Map<string, TextFile> {
  const all: TextFile[] = [...facts.cron, ...facts.units, ...facts.initScripts, ...facts.profiles, ...facts.ldSoConfD, ...facts.sudoers, ...facts.authorizedKeys];
  if (facts.ldPreload) all.push(facts.ldPreload);
  if (facts.etcHosts) all.push(facts.etcHosts);
  if (facts.sshdConfig) all.push(facts.sshdConfig);
  return new Map(all.map((f) => [f.path, f]));
}

/** Host paths the findings point at (evidence paths and artifact paths). */
export function pathsOfFindings(findings: Finding[]): Set<string> {
  const out = new Set<string>();
  for (const f of findings) {
    for (const e of f.evidence) if (e.path) out.add(e.path);
    for (const a of f.artifacts) if ('path' in a && typeof a.path === 'string') out.add(a.path);
  }
  return out;
}

export interface HostEvidence {
  files: EvidenceEntry[];
  hashes: Array<{ path: string; sha256: string; pid?: number; size?: number }>;
}

/** Write evidence/<host>/ for one host; returns what was written (also in evidence/<host>/index.json). */
export function writeHostEvidence(dir: string, facts: HostFacts, findings: Finding[]): HostEvidence {
  const texts = textFilesOf(facts);
  const files: EvidenceEntry[] = [];
  for (const p of pathsOfFindings(findings)) {
    const t = texts.get(p);
    if (!t) continue;
    files.push(writeEvidenceFile(dir, facts.host, p, t.content, { mtime: t.mtime, mode: t.mode, owner: t.owner, attrs: t.attrs, truncated: t.truncated }));
  }
  const hashes = new Map<string, HostEvidence['hashes'][number]>();
  const flaggedPids = new Set(findings.flatMap((f) => f.artifacts.flatMap((a) => (a.type === 'process' ? [a.pid] : []))));
  for (const p of facts.processes)
    if (p.exeSha256 && flaggedPids.has(p.pid)) hashes.set(p.exe, { path: p.exe, sha256: p.exeSha256, pid: p.pid });
  for (const e of facts.executables) if (!hashes.has(e.path)) hashes.set(e.path, { path: e.path, sha256: e.sha256, size: e.size, ...(e.pid !== undefined ? { pid: e.pid } : {}) });
  for (const f of findings) for (const e of f.evidence) if (e.sha256 && e.path && !hashes.has(e.path)) hashes.set(e.path, { path: e.path, sha256: e.sha256 });
  const ev: HostEvidence = { files, hashes: [...hashes.values()] };
  if (files.length || ev.hashes.length) writeRunJson(dir, `evidence/${safeName(facts.host)}/index.json`, ev);
  return ev;
}
