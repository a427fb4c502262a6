import type { Artifact, Finding } from './types.js';

// One string per finding that stays the same from run to run while the thing it is about
// stays: live values (a respawned process's PID, Redis's PID, CPU %) are left out, so the
// miner that came back under a new PID is the same finding come back, not a new one.

function stableArtifactKey(a: Artifact): string {
  switch (a.type) {
    case 'process': return `process:${a.exe || a.comm}`;
    case 'cron-line': case 'profile-line': case 'hosts-entry': return `line:${a.path}:${a.line}`;
    case 'authorized-key': return `key:${a.path}:${a.fingerprint}`;
    case 'file': case 'init-script': return `file:${a.path}`;
    case 'unit': return `unit:${a.path}`;
    case 'preload': return `preload:${a.path}:${a.entry}`;
    case 'account': return `account:${a.name}`;
    case 'renamed-binary': return `renamed:${a.replacement}`;
    case 'immutable': return `immutable:${a.path}`;
    case 'firewall-rule': return `firewall:${a.rule}`;
    case 'redis': return `redis:${a.configPath}:${[...a.listen].sort().join(',')}`;
    case 'egress': return `egress:${a.address}${a.port !== undefined ? `:${a.port}` : ''}`;
  }
}

/** host, rule and what the finding is about (its artifacts, else its pivot IOC or first evidence path). */
export function findingKey(host: string, f: Pick<Finding, 'rule' | 'artifacts' | 'evidence' | 'pivot'>): string {
  const about = f.artifacts.length ? [...new Set(f.artifacts.map(stableArtifactKey))].sort().join('|') : f.pivot ? `ioc:${f.pivot.ioc.type}:${f.pivot.ioc.value}` : (f.evidence.find((e) => e.path)?.path ?? f.evidence[0]?.text.slice(0, 200) ?? '');
  return `${host}\u0000${f.rule}\u0000${about}`;
}
