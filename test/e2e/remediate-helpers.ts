import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GroundTruth } from '../../src/lab/types.js';
import { validHostLines } from '../helpers/jsonl.js';

// Helpers shared by 04-remediate and 05-harden: run the built CLI, run a command on every
// lab host (exec --json), and snapshot what check mode must not change.

/** the built CLI (MINESWEEP_E2E_CLI: a private build, when the shared dist/ is being rebuilt by others) */
export const CLI = process.env['MINESWEEP_E2E_CLI'] ?? path.resolve(import.meta.dirname, '../../dist/cli.js');

export interface CliResult { code: number; stdout: string; stderr: string; seconds: number }

export function cli(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): CliResult {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: opts.cwd, timeout: opts.timeoutMs ?? 600_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', seconds: (Date.now() - t0) / 1000 };
}

/** Run `command` on every host (or --limit); host → stdout. */
export function execAll(inventory: string, command: string, limit?: string): Map<string, { rc: number | null; stdout: string }> {
  const r = cli(['exec', '-i', inventory, '--json', '--host-key-checking', 'accept-new', ...(limit ? ['--limit', limit] : []), command]);
  const out = new Map<string, { rc: number | null; stdout: string }>();
  // the typed stream (validated against the schema): a host line per host, its output when the command ran
  for (const l of validHostLines({ command: 'exec', code: r.code, stdout: r.stdout })) {
    const o = l['output'] as { rc: number | null; stdout: string } | undefined;
    out.set(l.host!, { rc: o?.rc ?? null, stdout: o?.stdout ?? '' });
  }
  return out;
}

/**
 * Paths whose content, mode and attributes check mode must leave alone (and clean hosts keep),
 * read in batch: one stat, one sha256sum and one lsattr over every path (NUL-terminated records:
 * `S type|mode|path`, `H sha256  path`, `A attrs path`), then `@@END` and the process and
 * iptables lines.
 */
export const SNAPSHOT = String.raw`
set --
for p in /etc/crontab /etc/cron.d/* /etc/cron.hourly/* /etc/cron.daily/* /var/spool/cron/* /var/spool/cron/crontabs/* \
  /etc/systemd/system/* /etc/systemd/system/*/* /lib/systemd/system/*.service /etc/ld.so.preload /etc/*.so \
  /root/.ssh/authorized_keys /home/*/.ssh/authorized_keys /etc/passwd /etc/shadow /etc/rc.local /etc/init.d/* \
  /tmp/* /tmp/.[!.]* /var/tmp/* /var/tmp/.[!.]* /usr/bin/ps /usr/bin/top /usr/bin/pstree /usr/bin/*.original \
  /opt/* /root/.[!.]* /etc/hosts /etc/ssh/sshd_config /etc/redis/*; do
  [ -e "$p" ] || [ -L "$p" ] || continue
  # the lab droppers' own lock files appear when cron first runs them, and the aliyunduns
  # scenario's cron.hourly dropper (back after 04's rollback) downloads to /tmp/.0.sh each hour
  case "$p" in /tmp/minesweep*|/tmp/.minesweep*|/tmp/.lab-*.lock|/tmp/.0.sh) continue;; esac
  set -- "$@" "$p"
done
if [ $# -gt 0 ]; then
  stat --printf 'S %F|%a.%u.%g|%n\0' -- "$@" 2>/dev/null
  sha256sum -z -- "$@" 2>/dev/null | sed -z 's/^/H /'
  lsattr -d -- "$@" 2>/dev/null | tr '\n' '\0' | sed -z 's/^/A /'
fi
printf '@@END\0'
now=$(awk '{print int($1)}' /proc/uptime); hz=$(getconf CLK_TCK)
for d in /proc/[0-9]*; do
  s=$(sed 's/.*) //' "$d/stat" 2>/dev/null | cut -d' ' -f20) || continue
  [ -n "$s" ] || continue
  age=$(( now - s / hz )); [ "$age" -gt 10 ] || continue
  case "$(cat "$d/comm" 2>/dev/null)" in sshd*|sh|bash|sleep) continue;; esac
  printf 'P %s %s %s\n' "${'$'}{d#/proc/}" "$s" "$(cat "$d/comm" 2>/dev/null)"
done
iptables -w -S 2>/dev/null | sed 's/^/I /'
`;

/** path → `sha256-prefix mode attrs` ('-' for anything but a regular file, '' without attributes), from SNAPSHOT's records. */
function snapshotFiles(records: string): Map<string, string> {
  const type = new Map<string, string>();
  const mode = new Map<string, string>();
  const hash = new Map<string, string>();
  const attrs = new Map<string, string>();
  for (const r of records.split('\0')) {
    if (r.startsWith('S ')) {
      const [t, m, ...p] = r.slice(2).split('|');
      const name = p.join('|');
      type.set(name, t!);
      mode.set(name, m!);
    } else if (r.startsWith('H ')) hash.set(r.slice(2 + 64 + 2), r.slice(2, 2 + 16));
    else if (r.startsWith('A ')) {
      const i = r.indexOf(' ', 2);
      if (i > 0) attrs.set(r.slice(i + 1), r.slice(2, i));
    }
  }
  const files = new Map<string, string>();
  for (const [name, t] of type) {
    const h = /^regular/.test(t) ? (hash.get(name) ?? '-') : '-';
    files.set(name, `${h} ${mode.get(name)} ${attrs.get(name) ?? ''}`);
  }
  return files;
}

export interface Snapshot { files: Map<string, string>; processes: Set<string>; iptables: string[] }

export function snapshot(inventory: string, limit?: string): Map<string, Snapshot> {
  const out = new Map<string, Snapshot>();
  for (const [host, r] of execAll(inventory, SNAPSHOT, limit)) {
    const end = r.stdout.indexOf('@@END\0');
    const s: Snapshot = { files: snapshotFiles(end < 0 ? '' : r.stdout.slice(0, end)), processes: new Set(), iptables: [] };
    for (const line of r.stdout.slice(end < 0 ? 0 : end + 6).split('\n')) {
      if (line.startsWith('P ')) s.processes.add(line.slice(2));
      else if (line.startsWith('I ')) s.iptables.push(line.slice(2));
    }
    out.set(host, s);
  }
  return out;
}

/** The lab: MINESWEEP_E2E_LAB_DIR (a lab of your own, for development) or the shared test lab. */
export async function labFor(): Promise<{ inventoryPath: string; groundTruth: GroundTruth }> {
  const dir = process.env['MINESWEEP_E2E_LAB_DIR'];
  if (dir) return { inventoryPath: path.join(dir, 'inventory.yml'), groundTruth: JSON.parse(readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as GroundTruth };
  const { getLab } = await import('../helpers/lab.js');
  const lab = await getLab();
  return { inventoryPath: lab.inventoryPath, groundTruth: lab.groundTruth };
}
