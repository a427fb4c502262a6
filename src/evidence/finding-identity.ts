import type { Artifact, Finding } from '../findings/types.js';
import { stripDeleted } from './paths.js';
import { artifactKey } from './artifact-key.js';

// A finding's identity across runs: the same rule about the same thing on the same host,
// whatever changed that is live. artifactKey (artifact-key.ts) names a thing within one run
// (a pid, a line number); here only what survives a respawn or an edit elsewhere counts:
//   process      the executable (" (deleted)" stripped), else its comm; never pid or start time
//   lines        file and the line's text, not its number (a line added above moves it)
//   key          file and fingerprint; redis: config file and listen addresses, not its pid
//   egress       the remote address and port, only when the finding names nothing else
//                (a miner's pool connection is about the miner: pools rotate addresses)
// A finding with no artifact is known by its title with every number masked (CPU %, counts).
// What may change while the identity holds is the finding's detail (detailOf): severity,
// family, line numbers, attributes, pool addresses.

/** What stays the same of an artifact between two sweeps of the same thing. */
export function artifactIdentity(a: Artifact): string {
  switch (a.type) {
    case 'process':
      return a.exe ? `process:${stripDeleted(a.exe)}` : `process-comm:${a.comm}`;
    case 'cron-line':
    case 'profile-line':
    case 'hosts-entry':
      return `line:${a.path}:${a.line.trim()}`;
    case 'authorized-key':
      return `key:${a.path}:${a.fingerprint || a.line.trim()}`;
    case 'renamed-binary':
      return `renamed:${a.replacement}:${a.original}`;
    case 'firewall-rule':
      return `firewall:${a.rule.trim()}`;
    case 'redis':
      return `redis:${a.configPath}:${[...a.listen].sort().join(',')}`;
    case 'egress':
      return `egress:${a.address}:${a.port ?? ''}`;
    default:
      // file, init script, unit, preload, account, immutable: artifactKey names them by what stays
      return artifactKey(a);
  }
}

/** The title with every run of digits masked: the identity of a finding that names no artifact. */
export const maskedTitle = (title: string): string => title.replace(/\d+(\.\d+)?/g, '#');

/** What the finding is about, without the host and rule: sorted artifact identities, else the masked title. */
export function findingSubject(f: Pick<Finding, 'artifacts' | 'title'>): string {
  const named = f.artifacts.filter((a) => a.type !== 'egress');
  const arts = named.length ? named : f.artifacts;
  if (!arts.length) return `title:${maskedTitle(f.title)}`;
  return [...new Set(arts.map(artifactIdentity))].sort().join('\n');
}

/** host + rule + subject: two findings of two runs with the same identity are one finding seen twice. */
export function findingIdentity(f: Pick<Finding, 'host' | 'rule' | 'artifacts' | 'title'>, host: string = f.host): string {
  return `${host}\u0000${f.rule}\u0000${findingSubject(f)}`;
}

/** What may change while the identity holds, as labelled values (never pids, start times or CPU). */
export function detailOf(f: Finding): Record<string, string> {
  const d: Record<string, string> = { severity: f.severity, family: f.family ?? '' };
  const lines = f.artifacts.flatMap((a) => ('lineNumber' in a ? [`${a.path}:${a.lineNumber}`] : []));
  if (lines.length) d['lines'] = [...new Set(lines)].sort().join(', ');
  const attrs = f.artifacts.flatMap((a) => (a.type === 'immutable' ? [`${a.path} ${a.attrs}`] : a.type === 'account' ? [`${a.name} uid ${a.uid}`] : []));
  if (attrs.length) d['attributes'] = [...new Set(attrs)].sort().join(', ');
  if (f.artifacts.some((a) => a.type !== 'egress')) {
    const egress = f.artifacts.flatMap((a) => (a.type === 'egress' ? [`${a.address}${a.port !== undefined ? `:${a.port}` : ''}`] : []));
    if (egress.length) d['connects to'] = [...new Set(egress)].sort().join(', ');
  }
  return d;
}
