import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ansibleBool } from './ansible-bool.js';
import { InventoryError } from './errors.js';

// Ansible's configuration, read as ansible-core does: the first of $ANSIBLE_CONFIG (a file,
// or a directory holding ansible.cfg), ./ansible.cfg (skipped when the current directory is
// world-writable), ~/.ansible.cfg, /etc/ansible/ansible.cfg; then the ANSIBLE_* variables,
// which win over the file. Only the settings minesweep uses are read.

export interface AnsibleSettings {
  /** the ansible.cfg read, if any */
  file?: string;
  inventory?: string[];
  remoteUser?: string;
  remotePort?: number;
  privateKeyFile?: string;
  hostKeyChecking?: boolean;
  forks?: number;
  timeoutSec?: number;
  sshArgs?: string;
  sshCommonArgs?: string;
  sshExtraArgs?: string;
  /** why ./ansible.cfg was skipped, when it was */
  warnings: string[];
}

type Ini = Map<string, Map<string, { value: string; line: number }>>;

/** configparser's INI: [sections], `key = value` or `key: value`, # and ; comments, ` ;` inline comments, indented continuation lines. */
export function parseIni(text: string, file: string): Ini {
  const out: Ini = new Map();
  let section: Map<string, { value: string; line: number }> | undefined;
  let last: { value: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*([#;].*)?$/.test(line)) return;
    if (/^\s/.test(line) && last) {
      last.value += '\n' + line.trim();
      return;
    }
    const sec = /^\[([^\]]+)\]\s*$/.exec(line);
    if (sec) {
      section = out.get(sec[1]!) ?? new Map();
      out.set(sec[1]!, section);
      last = undefined;
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!kv) throw new InventoryError(`expected \`key = value\` or a [section], got ${JSON.stringify(line.trim())}.`, { file, line: i + 1, column: 1 });
    if (!section) throw new InventoryError(`\`${kv[1]}\` is outside any [section]. Fix: put it under [defaults].`, { file, line: i + 1, column: 1 });
    last = { value: kv[2]!.replace(/\s+;.*$/, '').replace(/%%/g, '%'), line: i + 1 };
    section.set(kv[1]!.toLowerCase(), last);
  });
  return out;
}

function readable(p: string): boolean {
  try {
    accessSync(p, constants.R_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The ansible.cfg Ansible would read, and a warning when ./ansible.cfg was skipped. */
export function findAnsibleCfg(env: NodeJS.ProcessEnv, cwd: string, home: string): { file?: string; warnings: string[] } {
  const warnings: string[] = [];
  const candidates: string[] = [];
  const fromEnv = env['ANSIBLE_CONFIG'];
  if (fromEnv) {
    const p = path.resolve(cwd, fromEnv.replace(/^~(?=\/|$)/, home));
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      /* not there: the next candidate is tried, as Ansible does */
    }
    candidates.push(isDir ? path.join(p, 'ansible.cfg') : p);
  }
  const local = path.join(cwd, 'ansible.cfg');
  let cwdWritable = false;
  try {
    cwdWritable = (statSync(cwd).mode & 0o002) !== 0;
  } catch {
    /* ignore */
  }
  if (cwdWritable && readable(local)) warnings.push(`ansible.cfg in ${cwd} ignored: the directory is world-writable (as Ansible does)`);
  else candidates.push(local);
  candidates.push(path.join(home, '.ansible.cfg'), '/etc/ansible/ansible.cfg');
  const file = candidates.find(readable);
  return { ...(file ? { file } : {}), warnings };
}

/** ansible.cfg + ANSIBLE_* (the variables win). Malformed values are InventoryErrors naming the file and line. */
export function loadAnsibleSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), home = os.homedir()): AnsibleSettings {
  const found = findAnsibleCfg(env, cwd, home);
  const ini = found.file ? parseIni(readFileSync(found.file, 'utf8'), found.file) : new Map();
  const s: AnsibleSettings = { warnings: found.warnings, ...(found.file ? { file: found.file } : {}) };
  const baseDir = found.file ? path.dirname(found.file) : cwd;
  const pick = (envNames: string[], entries: Array<[string, string]>): { value: string; where: string } | undefined => {
    for (const n of envNames) if (env[n] !== undefined && env[n] !== '') return { value: env[n]!, where: `environment variable ${n}` };
    for (const [sec, key] of entries) {
      const e = ini.get(sec)?.get(key);
      if (e) return { value: e.value, where: `${found.file}:${e.line} (${key})` };
    }
    return undefined;
  };
  const bool = (v: { value: string; where: string }): boolean => {
    const b = ansibleBool(v.value);
    if (b === undefined) throw new InventoryError(`${v.where}: expected a boolean (True/False), got ${JSON.stringify(v.value)}.`);
    return b;
  };
  const int = (v: { value: string; where: string }): number => {
    if (!/^\s*\d+\s*$/.test(v.value) || Number(v.value) < 1) throw new InventoryError(`${v.where}: expected a positive whole number, got ${JSON.stringify(v.value)}.`);
    return Number(v.value);
  };
  const fromPath = (p: string, base: string): string => path.resolve(base, p.trim().replace(/^~(?=\/|$)/, home));

  const inv = pick(['ANSIBLE_INVENTORY'], [['defaults', 'inventory'], ['defaults', 'hostfile']]);
  if (inv) {
    const base = inv.where.startsWith('environment') ? cwd : baseDir;
    s.inventory = inv.value.split(',').map((x) => x.trim()).filter(Boolean).map((x) => (x.includes(',') ? x : fromPath(x, base)));
  }
  const user = pick(['ANSIBLE_REMOTE_USER'], [['defaults', 'remote_user']]);
  if (user) s.remoteUser = user.value.trim();
  const port = pick(['ANSIBLE_REMOTE_PORT'], [['defaults', 'remote_port']]);
  if (port) s.remotePort = int(port);
  const key = pick(['ANSIBLE_PRIVATE_KEY_FILE'], [['defaults', 'private_key_file']]);
  if (key) s.privateKeyFile = fromPath(key.value, key.where.startsWith('environment') ? cwd : baseDir);
  const hkc = pick(['ANSIBLE_HOST_KEY_CHECKING', 'ANSIBLE_SSH_HOST_KEY_CHECKING'], [['defaults', 'host_key_checking'], ['ssh_connection', 'host_key_checking']]);
  if (hkc) s.hostKeyChecking = bool(hkc);
  const forks = pick(['ANSIBLE_FORKS'], [['defaults', 'forks']]);
  if (forks) s.forks = int(forks);
  const timeout = pick(['ANSIBLE_TIMEOUT', 'ANSIBLE_SSH_TIMEOUT'], [['defaults', 'timeout'], ['ssh_connection', 'timeout']]);
  if (timeout) s.timeoutSec = int(timeout);
  const args = pick(['ANSIBLE_SSH_ARGS'], [['ssh_connection', 'ssh_args']]);
  if (args) s.sshArgs = args.value;
  const common = pick(['ANSIBLE_SSH_COMMON_ARGS'], [['ssh_connection', 'ssh_common_args']]);
  if (common) s.sshCommonArgs = common.value;
  const extra = pick(['ANSIBLE_SSH_EXTRA_ARGS'], [['ssh_connection', 'ssh_extra_args']]);
  if (extra) s.sshExtraArgs = extra.value;
  return s;
}
