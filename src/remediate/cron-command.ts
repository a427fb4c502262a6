// What cron runs for one crontab line: the text it hands to `/bin/sh -c`. Pure.

/** Crontabs whose lines carry a user field after the schedule (system crontabs). */
const SYSTEM_CRONTAB = /^\/etc\/(?:crontab$|cron\.d\/)/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\s*=/;

/**
 * The command of a crontab line as cron passes it to `sh -c` (schedule and, in system
 * crontabs, the user field removed; cut at the first unescaped `%`, which starts the job's
 * stdin; `\%` is a literal `%`), or null for comments, blank and variable lines.
 */
export function cronCommand(path: string, line: string): string | null {
  const t = line.replace(/^\s+/, '');
  if (!t || t.startsWith('#') || ASSIGNMENT.test(t)) return null;
  let rest = t;
  const fields = (t.startsWith('@') ? 1 : 5) + (SYSTEM_CRONTAB.test(path) ? 1 : 0);
  for (let i = 0; i < fields; i++) {
    const m = /^\S+\s+/.exec(rest);
    if (!m) return null;
    rest = rest.slice(m[0].length);
  }
  let cmd = '';
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '\\' && rest[i + 1] === '%') { cmd += '%'; i++; continue; }
    if (c === '%') break;
    cmd += c;
  }
  return cmd.trim() ? cmd : null;
}
