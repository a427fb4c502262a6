import type { Evidence } from './types.js';

// Which evidence times date the intrusion: a process's start, a planted file's or cron
// line's own time. A shared system file (/etc/passwd, /etc/shadow …) changes for many
// reasons; its mtime says when anyone last edited it, not when the attacker came.

const SHARED_FILES = new Set(['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow', '/etc/sudoers', '/etc/hosts', '/etc/crontab', '/etc/ssh/sshd_config', '/etc/resolv.conf', '/etc/fstab']);

/** The evidence's time, when it dates the intrusion; else undefined. */
export function intrusionTime(e: Evidence): number | undefined {
  if (e.time === undefined || !Number.isFinite(e.time) || e.time <= 0) return undefined;
  if (e.kind === 'account') return undefined;
  if (e.path && SHARED_FILES.has(e.path)) return undefined;
  return e.time;
}
