import type { Artifact } from '../findings/types.js';

/** One string per thing remediation acts on: two findings with the same key point at the same thing. */
export function artifactKey(a: Artifact): string {
  switch (a.type) {
    case 'process':
      return `process:${a.pid}`;
    case 'cron-line':
    case 'profile-line':
    case 'hosts-entry':
      return `line:${a.path}:${a.lineNumber}`;
    case 'authorized-key':
      return `key:${a.path}:${a.lineNumber}`;
    case 'file':
    case 'init-script':
      return `file:${a.path}`;
    case 'unit':
      return `unit:${a.path}`;
    case 'preload':
      return `preload:${a.path}:${a.entry}`;
    case 'account':
      return `account:${a.name}`;
    case 'renamed-binary':
      return `renamed:${a.replacement}`;
    case 'immutable':
      return `immutable:${a.path}`;
    case 'firewall-rule':
      return `firewall:${a.rule}`;
    case 'redis':
      return `redis:${a.configPath}:${a.pid}`;
    case 'egress':
      return `egress:${a.address}`;
  }
}
