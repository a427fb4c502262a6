import type { HostFacts, ProcessFact, SocketFact, TextFile } from '../facts/types.js';
import type { Artifact, Evidence, Finding, Ioc, Severity } from '../findings/types.js';
import { dedupeIocs } from './iocs-extract.js';
import { stripDeleted } from './paths.js';

// Building findings and their evidence the same way in every rule.

export interface FindingInput {
  rule: string;
  severity: Severity;
  title: string;
  family?: string | undefined;
  evidence: Evidence[];
  iocs?: Ioc[];
  artifacts?: Artifact[];
  remedy: string;
}

export function finding(facts: HostFacts, f: FindingInput): Finding {
  const out: Finding = {
    rule: f.rule,
    severity: f.severity,
    title: f.title,
    host: facts.host,
    evidence: f.evidence,
    iocs: dedupeIocs((f.iocs ?? []).map((i) => ({ ...i, source: i.source ?? facts.host, ...(f.family && !i.family ? { family: f.family } : {}) }))),
    artifacts: f.artifacts ?? [],
    remedy: f.remedy,
  };
  if (f.family) out.family = f.family;
  return out;
}

export function processEvidence(p: ProcessFact): Evidence {
  const e: Evidence = {
    kind: 'process',
    text: `pid ${p.pid} (ppid ${p.ppid}, user ${p.user}, ${p.cpuPercent}% cpu) exe ${p.exe || '?'} argv ${JSON.stringify(p.argv)}`,
    pid: p.pid,
    time: p.startTime,
  };
  if (p.exe) e.path = stripDeleted(p.exe);
  if (p.exeSha256) e.sha256 = p.exeSha256;
  return e;
}

export function processArtifact(p: ProcessFact, role: 'miner' | 'watchdog' | 'other'): Artifact {
  return { type: 'process', pid: p.pid, comm: p.comm, exe: p.exe, startTime: p.startTime, role };
}

/** Hash and dropped-path indicators of a suspicious process. */
export function processIocs(p: ProcessFact): Ioc[] {
  const out: Ioc[] = [];
  if (p.exeSha256) out.push({ type: 'sha256', value: p.exeSha256.toLowerCase() });
  if (p.exe && !p.exe.startsWith('memfd:')) out.push({ type: 'path', value: stripDeleted(p.exe) });
  return out;
}

export function lineEvidence(file: TextFile, lineNumber: number, line: string): Evidence {
  return { kind: 'line', text: line, path: file.path, lineNumber, time: file.mtime };
}

export function fileEvidence(file: TextFile, text?: string): Evidence {
  return { kind: 'file', text: text ?? file.content.slice(0, 2000), path: file.path, time: file.mtime };
}

export function socketEvidence(s: SocketFact): Evidence {
  const e: Evidence = {
    kind: 'socket',
    text: `${s.proto} ${s.localAddress}:${s.localPort} -> ${s.remoteAddress}:${s.remotePort} ${s.state} ${s.process}${s.pid !== null ? ` (pid ${s.pid})` : ''}`,
  };
  if (s.pid !== null) e.pid = s.pid;
  return e;
}

export const byPid = (facts: HostFacts): Map<number, ProcessFact> => new Map(facts.processes.map((p) => [p.pid, p]));

/** Established outbound connections (not listeners, not inbound to a local listener). */
export function outbound(facts: HostFacts): SocketFact[] {
  const listening = new Set(facts.sockets.filter((s) => s.state === 'LISTEN').map((s) => s.localPort));
  return facts.sockets.filter((s) => s.state !== 'LISTEN' && s.remotePort > 0 && !listening.has(s.localPort) && !isLoopback(s.remoteAddress));
}

const CLOSING = /^(FIN-WAIT-[12]|TIME-WAIT|CLOSING|LAST-ACK|CLOSE-WAIT|CLOSED)$/;

/** A connection left closing by a process that is gone (no owner, FIN-WAIT/TIME-WAIT …): what a killed miner leaves for a minute, not a live one. */
export const isDeadConnection = (s: SocketFact): boolean => s.pid === null && CLOSING.test(s.state);

export function isLoopback(addr: string): boolean {
  return addr.startsWith('127.') || addr === '::1' || addr.startsWith('::ffff:127.');
}

/** "::ffff:1.2.3.4" -> "1.2.3.4" */
export const plainAddress = (a: string): string => a.replace(/^::ffff:/i, '');
