import type { Evidence } from './types.js';

// Which evidence times date the intrusion: a process's start, a planted file's or cron
// line's own time. A shared system file (/etc/passwd, /etc/shadow …) changes for many
// reasons; its mtime says when anyone last edited it, not when the attacker came. A file in
// a system binary directory is often a packaged binary moved or copied with its times kept
// (pstree renamed to pstree.original keeps the package's 2022 mtime): not dated either.

const SHARED_FILES = new Set(['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow', '/etc/sudoers', '/etc/hosts', '/etc/crontab', '/etc/ssh/sshd_config', '/etc/resolv.conf', '/etc/fstab']);

const SYSTEM_DIRS = /^\/(usr\/)?(s?bin|lib(32|64|x32)?|libexec)\//;

/** The evidence's time, when it dates the intrusion; else undefined. */
export function intrusionTime(e: Evidence): number | undefined {
  if (e.time === undefined || !Number.isFinite(e.time) || e.time <= 0) return undefined;
  if (e.kind === 'account') return undefined;
  if (e.path && (SHARED_FILES.has(e.path) || SYSTEM_DIRS.test(e.path))) return undefined;
  return e.time;
}
