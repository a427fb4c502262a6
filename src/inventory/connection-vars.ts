import { InventoryError } from './errors.js';
import { shellSplit } from './ssh-args.js';
import type { InventoryHost } from './types.js';
import { ansibleBool } from './ansible-bool.js';
import { renderTemplate } from './template.js';

// Contract with the transport (issue 3):
//   connectionVars(host: InventoryHost): ConnectionVars        (pure, throws InventoryError)
// Only what the inventory says; fields it does not set are undefined so ~/.ssh/config and
// the transport's defaults (port 22, current user, strict host keys) can fill them in, in
// Ansible's order: inventory variables > ~/.ssh/config > defaults.
// Paths (privateKeyFile) are returned as written: '~' is not expanded.

export interface ConnectionVars {
  /** ansible_host / ansible_ssh_host, else the inventory name */
  address: string;
  /** true when address came from ansible_host (then ~/.ssh/config Host matching uses it) */
  addressFromVars: boolean;
  port?: number;
  user?: string;
  privateKeyFile?: string;
  password?: string;
  /** 'off' when ansible_host_key_checking is false (Ansible then passes -o StrictHostKeyChecking=no) */
  hostKeyChecking?: 'off';
  /** ansible_timeout / ansible_ssh_timeout (seconds): the connect timeout */
  timeoutSec?: number;
  /** ansible_connection (ssh, local, …) when set */
  connection?: string;
  become: boolean;
  becomeUser: string;
  becomeMethod: string;
  becomePassword?: string;
  /**
   * ansible_ssh_args, ansible_ssh_common_args, ansible_ssh_extra_args split into words as
   * Ansible splits them (shlex); absent when the variable is not set. The transport reads them
   * as ssh does (-F, -o, -J, -p, -l, -i, …).
   */
  sshArgs: { args?: string[]; common?: string[]; extra?: string[] };
}

/** Resolve an inventory host's variables into connection fields (aliases as Ansible: the later alias wins). */
export function connectionVars(host: InventoryHost): ConnectionVars {
  const v = host.vars;
  const get = (...names: string[]): string | undefined => {
    let found: { name: string; value: unknown } | undefined;
    for (const name of names) if (v[name] !== undefined && v[name] !== null) found = { name, value: v[name] };
    if (!found) return undefined;
    return render(host, found.name, found.value);
  };

  const addressVar = get('ansible_host', 'ansible_ssh_host');
  const portText = get('ansible_port', 'ansible_ssh_port');
  const hkcVar = get('ansible_host_key_checking', 'ansible_ssh_host_key_checking');
  const becomeVar = get('ansible_become');

  const out: ConnectionVars = {
    address: addressVar ?? host.name,
    addressFromVars: addressVar !== undefined,
    become: becomeVar === undefined ? false : boolOf(host, 'ansible_become', becomeVar),
    becomeUser: get('ansible_become_user') ?? 'root',
    becomeMethod: get('ansible_become_method') ?? 'sudo',
    sshArgs: {},
  };
  if (portText !== undefined) out.port = portOf(host, portText);
  const user = get('ansible_user', 'ansible_ssh_user');
  if (user !== undefined) out.user = user;
  const key = get('ansible_private_key_file', 'ansible_ssh_private_key_file');
  if (key !== undefined) out.privateKeyFile = key;
  const password = get('ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password');
  if (password !== undefined) out.password = password;
  const becomePassword = get('ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass');
  if (becomePassword !== undefined) out.becomePassword = becomePassword;
  const connection = get('ansible_connection');
  if (connection !== undefined) out.connection = connection;
  const timeout = get('ansible_timeout', 'ansible_ssh_timeout');
  if (timeout !== undefined) {
    if (!/^\d+$/.test(timeout.trim()) || Number(timeout) === 0) throw new InventoryError(`ansible_timeout must be a number of seconds, got ${JSON.stringify(timeout)}.`, { host: host.name });
    out.timeoutSec = Number(timeout);
  }
  for (const [name, field] of [['ansible_ssh_args', 'args'], ['ansible_ssh_common_args', 'common'], ['ansible_ssh_extra_args', 'extra']] as const) {
    const raw = host.vars[name];
    if (raw === undefined || raw === null) continue;
    const text = render(host, name, raw);
    try {
      out.sshArgs[field] = shellSplit(text);
    } catch (e) {
      throw new InventoryError(`${name}: ${(e as Error).message}. Fix: balance the quotes.`, { host: host.name });
    }
  }
  if (hkcVar !== undefined && !boolOf(host, 'ansible_host_key_checking', hkcVar)) out.hostKeyChecking = 'off';
  return out;
}

function render(host: InventoryHost, name: string, value: unknown): string {
  if (typeof value === 'string') return renderTemplate(value, host.vars, host.name, name);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new InventoryError(`${name} must be a string, got ${JSON.stringify(value)}. Fix: give a plain value.`, { host: host.name });
}

function boolOf(host: InventoryHost, name: string, text: string): boolean {
  const b = ansibleBool(text);
  if (b === undefined) throw new InventoryError(`${name} must be a boolean (true/false, yes/no), got ${JSON.stringify(text)}.`, { host: host.name });
  return b;
}

function portOf(host: InventoryHost, text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) throw new InventoryError(`ansible_port must be a number 1-65535, got ${JSON.stringify(text)}. Fix: set ansible_port: 22 (or the real port).`, { host: host.name });
  return n;
}
