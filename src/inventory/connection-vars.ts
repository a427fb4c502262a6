import { InventoryError } from './errors.js';
import { parseSshArgs, shellSplit, type SshArgs } from './ssh-args.js';
import type { InventoryHost } from './types.js';
import { ansibleBool } from './ansible-bool.js';
import { renderTemplate } from './template.js';

// Contract with the transport (issue 3):
//   connectionVars(host: InventoryHost): ConnectionVars        (pure, throws InventoryError)
// Only what the inventory says; fields it does not set are undefined so ~/.ssh/config and
// the transport's defaults (port 22, current user, strict host keys) can fill them in, in
// Ansible's order: inventory variables > ~/.ssh/config > defaults.
// Paths (privateKeyFile, knownHostsFiles) are returned as written: '~' is not expanded.

export interface ConnectionVars {
  /** ansible_host / ansible_ssh_host, else the inventory name */
  address: string;
  /** true when address came from ansible_host (then ~/.ssh/config Host matching uses it) */
  addressFromVars: boolean;
  port?: number;
  user?: string;
  privateKeyFile?: string;
  password?: string;
  /** jump hosts, outermost first, as [user@]host[:port] (from ProxyJump, -J, or ProxyCommand 'ssh -W %h:%p …') */
  proxyJump?: string[];
  /** a ProxyCommand that is not a plain `ssh -W %h:%p host` (the transport cannot honour it) */
  proxyCommand?: string;
  /** UserKnownHostsFile (may be several) */
  knownHostsFiles?: string[];
  hostKeyChecking?: 'strict' | 'accept-new' | 'off';
  /** ansible_connection (ssh, local, …) when set */
  connection?: string;
  become: boolean;
  becomeUser: string;
  becomeMethod: string;
  becomePassword?: string;
  /** every -o option from ansible_ssh_args/common/extra args, keys lower-cased, first wins */
  sshOptions: Record<string, string>;
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
  const ssh = sshArgsOf(host);
  const portText = get('ansible_port', 'ansible_ssh_port') ?? ssh.options['port'] ?? ssh.port;
  const hkcVar = get('ansible_host_key_checking', 'ansible_ssh_host_key_checking');
  const becomeVar = get('ansible_become');

  const out: ConnectionVars = {
    address: addressVar ?? host.name,
    addressFromVars: addressVar !== undefined,
    become: becomeVar === undefined ? false : boolOf(host, 'ansible_become', becomeVar),
    becomeUser: get('ansible_become_user') ?? 'root',
    becomeMethod: get('ansible_become_method') ?? 'sudo',
    sshOptions: ssh.options,
  };
  if (portText !== undefined) out.port = portOf(host, portText);
  const user = get('ansible_user', 'ansible_ssh_user') ?? ssh.options['user'] ?? ssh.user;
  if (user !== undefined) out.user = user;
  const key = get('ansible_private_key_file', 'ansible_ssh_private_key_file') ?? ssh.options['identityfile'] ?? ssh.identityFiles[0];
  if (key !== undefined) out.privateKeyFile = key;
  const password = get('ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password');
  if (password !== undefined) out.password = password;
  const becomePassword = get('ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass');
  if (becomePassword !== undefined) out.becomePassword = becomePassword;
  const connection = get('ansible_connection');
  if (connection !== undefined) out.connection = connection;

  Object.assign(out, jumpOf(ssh));
  const khf = ssh.options['userknownhostsfile'];
  if (khf !== undefined) out.knownHostsFiles = shellSplit(khf);

  // Ansible puts -o StrictHostKeyChecking=no before the user's args when host key
  // checking is off, and OpenSSH keeps the first value: so the variable wins when false.
  if (hkcVar !== undefined && !boolOf(host, 'ansible_host_key_checking', hkcVar)) out.hostKeyChecking = 'off';
  else if (ssh.options['stricthostkeychecking'] !== undefined) out.hostKeyChecking = strictOf(host, ssh.options['stricthostkeychecking']);
  else if (hkcVar !== undefined) out.hostKeyChecking = 'strict';
  return out;
}

function render(host: InventoryHost, name: string, value: unknown): string {
  if (typeof value === 'string') return renderTemplate(value, host.vars, host.name, name);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new InventoryError(`${name} must be a string, got ${JSON.stringify(value)}. Fix: give a plain value.`, { host: host.name });
}

function sshArgsOf(host: InventoryHost): SshArgs {
  const args: SshArgs = { options: {}, identityFiles: [] };
  // Ansible's order on the ssh command line: ssh_args, then common args, then extra args.
  for (const name of ['ansible_ssh_args', 'ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const raw = host.vars[name];
    if (raw === undefined || raw === null || raw === '') continue;
    const text = render(host, name, raw);
    let words: string[];
    try {
      words = shellSplit(text);
    } catch (e) {
      throw new InventoryError(`${name}: ${(e as Error).message}. Fix: balance the quotes.`, { host: host.name });
    }
    parseSshArgs(words, args);
  }
  return args;
}

function jumpOf(ssh: SshArgs): Pick<ConnectionVars, 'proxyJump' | 'proxyCommand'> {
  const pj = ssh.options['proxyjump'];
  if (pj !== undefined) return pj.toLowerCase() === 'none' ? {} : { proxyJump: pj.split(',').map((s) => s.trim()).filter(Boolean) };
  if (ssh.jump) return { proxyJump: ssh.jump };
  const pc = ssh.options['proxycommand'];
  if (pc === undefined || pc.toLowerCase() === 'none') return {};
  const viaSsh = jumpFromProxyCommand(pc);
  return viaSsh ? { proxyJump: viaSsh } : { proxyCommand: pc };
}

/** `ssh [opts] -W %h:%p [user@]host` (the usual Ansible bastion idiom) as a jump list. */
function jumpFromProxyCommand(pc: string): string[] | undefined {
  let words: string[];
  try {
    words = shellSplit(pc);
  } catch {
    return undefined;
  }
  if (!/(^|\/)ssh$/.test(words[0] ?? '')) return undefined;
  const rest = words.slice(1);
  const takesValue = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));
  let dest: string | undefined;
  let forwards = false;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (w.startsWith('-') && w.length > 1) {
      if (w[1] === 'W') forwards = true;
      if (takesValue.has(w[1]!) && w.length === 2) i++;
    } else if (dest === undefined) dest = w;
    else return undefined; // a remote command: not a plain forward
  }
  if (!forwards || !dest) return undefined;
  const inner = parseSshArgs(rest);
  const user = inner.user ?? inner.options['user'];
  const port = inner.port ?? inner.options['port'];
  let hop = dest.includes('@') || !user ? dest : `${user}@${dest}`;
  if (port && !/:\d+$/.test(hop)) hop += `:${port}`;
  const innerJump = inner.options['proxyjump']?.split(',') ?? inner.jump ?? [];
  return [...innerJump, hop];
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

function strictOf(host: InventoryHost, text: string): 'strict' | 'accept-new' | 'off' {
  const t = text.toLowerCase();
  if (t === 'yes' || t === 'ask' || t === 'true') return 'strict';
  if (t === 'accept-new') return 'accept-new';
  if (t === 'no' || t === 'off' || t === 'false') return 'off';
  throw new InventoryError(`StrictHostKeyChecking must be yes, accept-new or no, got ${JSON.stringify(text)}.`, { host: host.name });
}

