import type { ControllerInfo } from '../actions/types.js';
import { cidrContains } from '../planning/guards.js';

// The lockout guard of sshd_config changes, in the plan: before anything is touched, the
// config that would be installed must still listen on the port and address the controller
// came in on and still let its user in with a key. Pure: the text of the new config and who
// the controller is. Groups cannot be judged from the facts: the step checks them on the
// host (`id -Gn`) before it writes anything (see ssh.ts).

/** Keys whose change can shut the controller out; any other key passes. */
export const ACCESS_KEYS = ['port', 'listenaddress', 'allowusers', 'denyusers', 'allowgroups', 'denygroups', 'match', 'permitrootlogin', 'pubkeyauthentication', 'authenticationmethods', 'addressfamily', 'authorizedkeysfile'];

interface Global {
  ports: number[];
  listen: Array<{ host: string; port?: number }>;
  allowUsers: string[];
  denyUsers: string[];
  allowGroups: string[];
  denyGroups: string[];
  /** first value wins for these (sshd keeps the first) */
  first: Map<string, string>;
}

/** The settings before the first Match block (what applies to every connection). */
export function globalSettings(content: string): Global {
  const g: Global = { ports: [], listen: [], allowUsers: [], denyUsers: [], allowGroups: [], denyGroups: [], first: new Map() };
  for (const raw of content.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const m = /^(\S+)\s*(?:=\s*|\s+)(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (key === 'match') break;
    const words = value.split(/\s+/).filter(Boolean);
    if (key === 'port') g.ports.push(...words.map(Number).filter(Number.isInteger));
    else if (key === 'listenaddress') g.listen.push(parseListen(words[0] ?? ''));
    else if (key === 'allowusers') g.allowUsers.push(...words);
    else if (key === 'denyusers') g.denyUsers.push(...words);
    else if (key === 'allowgroups') g.allowGroups.push(...words);
    else if (key === 'denygroups') g.denyGroups.push(...words);
    else if (!g.first.has(key)) g.first.set(key, value);
  }
  return g;
}

function parseListen(v: string): { host: string; port?: number } {
  let m = /^\[([^\]]+)\]:(\d+)$/.exec(v);
  if (m) return { host: m[1]!, port: Number(m[2]) };
  m = /^([^:]+):(\d+)$/.exec(v);
  if (m) return { host: m[1]!, port: Number(m[2]) };
  return { host: v.replace(/^\[|\]$/g, '') };
}

/** sshd's wildcard patterns (* and ?), whole string. */
function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(text);
}

/** Does an AllowUsers/DenyUsers entry (USER or USER@HOST) match this user coming from this address? */
export function userEntryMatches(entry: string, user: string, address: string): boolean {
  const at = entry.lastIndexOf('@');
  const u = at >= 0 ? entry.slice(0, at) : entry;
  const h = at >= 0 ? entry.slice(at + 1) : '';
  if (!globMatch(u, user)) return false;
  if (!h) return true;
  return h.includes('/') ? cidrContains(h, address) : globMatch(h, address);
}

const WILDCARD = new Set(['0.0.0.0', '::', '*', '']);

/**
 * Why installing `content` could cut the controller off, or null. `changed`: the keys the
 * change sets (lower case); only those are judged, so a setting the host already had (or an
 * Include this guard cannot see) never blocks an unrelated change.
 */
export function sshdLockout(content: string, controller: ControllerInfo, changed: Set<string>): string | null {
  if (changed.has('match')) return 'a Match block in the settings could apply to the controller: set Match blocks by hand';
  const g = globalSettings(content);
  const port = controller.sshPort;
  const ports = g.ports.length ? g.ports : [22];
  // a Port list without the controller's port is refused even while a ListenAddress with its
  // own port keeps the listener: the Port is latent, and it takes over with the next ListenAddress
  // written without a port (or none)
  if (changed.has('port') && !ports.includes(port))
    return `Port ${ports.join(', ')} would stop sshd listening on port ${port}, where the controller is connected${g.listen.length ? ` (latent while ListenAddress ${g.listen.map((l) => `${l.host}${l.port ? `:${l.port}` : ''}`).join(', ')} names its own port; it takes over as soon as one without a port is used)` : ''}. Fix: keep port ${port} in the list (sshd_options Port: [${port}, ${ports.join(', ')}])`;
  if (changed.has('port') || changed.has('listenaddress')) {
    if (g.listen.length) {
      const keeps = g.listen.some((l) => {
        const onPort = l.port !== undefined ? l.port === port : ports.includes(port);
        return onPort && (WILDCARD.has(l.host) || l.host === controller.hostAddress);
      });
      if (!keeps)
        return `no ListenAddress would keep ${controller.hostAddress ?? "the host's address"} port ${port}, where the controller is connected (${g.listen.map((l) => `${l.host}${l.port ? `:${l.port}` : ''}`).join(', ')}). Fix: keep a listener on port ${port} (e.g. Port: [${port}, …] or ListenAddress ${controller.hostAddress ?? '0.0.0.0'}:${port})`;
    } else if (!ports.includes(port)) {
      return `Port ${ports.join(', ')} would stop sshd listening on port ${port}, where the controller is connected. Fix: keep port ${port} in the list (sshd_options Port: [${port}, ${ports.join(', ')}])`;
    }
  }
  const user = controller.user;
  if (changed.has('allowusers') || changed.has('denyusers')) {
    if (!user) return 'the controller\'s login user is unknown: AllowUsers/DenyUsers are not changed';
    if (g.allowUsers.length && !g.allowUsers.some((e) => userEntryMatches(e, user, controller.address)))
      return `AllowUsers ${g.allowUsers.join(' ')} would shut out ${user}@${controller.address}, the controller's login. Fix: add ${user} to AllowUsers`;
    const denied = g.denyUsers.find((e) => userEntryMatches(e, user, controller.address));
    if (denied) return `DenyUsers ${denied} would shut out ${user}, the controller's login. Fix: remove it`;
  }
  if (user === 'root' && changed.has('permitrootlogin')) {
    const v = (g.first.get('permitrootlogin') ?? '').toLowerCase();
    if (v === 'no' || v === 'forced-commands-only') return `PermitRootLogin ${v} would shut out root, the controller's login. Fix: use prohibit-password`;
  }
  if (changed.has('pubkeyauthentication') && /^no$/i.test(g.first.get('pubkeyauthentication') ?? '')) return 'PubkeyAuthentication no would shut out the controller, which logs in with a key';
  if (changed.has('authenticationmethods')) {
    const v = g.first.get('authenticationmethods') ?? 'any';
    if (!v.split(/\s+/).some((list) => list === 'any' || list === 'publickey'))
      return `AuthenticationMethods ${v} would require more than the key the controller logs in with. Fix: keep a list that is just publickey`;
  }
  if (changed.has('addressfamily')) {
    const v = (g.first.get('addressfamily') ?? 'any').toLowerCase();
    const v6 = controller.address.includes(':');
    if ((v === 'inet' && v6) || (v === 'inet6' && !v6)) return `AddressFamily ${v} would stop sshd answering the controller at ${controller.address}`;
  }
  if (changed.has('authorizedkeysfile')) return 'AuthorizedKeysFile decides where the controller\'s key is read from: not changed by hardening';
  return null;
}

/** The group lists the step must check on the host (`id -Gn USER`) before writing, when the change sets them. */
export function groupChecks(content: string, changed: Set<string>): { allow: string[]; deny: string[] } {
  const g = globalSettings(content);
  return { allow: changed.has('allowgroups') ? g.allowGroups : [], deny: changed.has('denygroups') ? g.denyGroups : [] };
}
