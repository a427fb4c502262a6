import type { ProcessFact } from '../facts/types.js';
import type { ControllerInfo } from '../actions/types.js';

// Guards no flag turns off (DESIGN.md): never kill PID 1, sshd or the controller's session;
// never block the controller or the SSH port; never remove the controller's key or account.
// Each returns the reason something is protected, or null when it may be touched.

const PROTECTED_COMMS = new Set(['sshd', 'systemd', 'init', 'dropbear']);

/** Why this process must not be signalled, or null. `processes` gives the parent chain. */
export function protectedProcess(pid: number, processes: ProcessFact[], comm?: string): string | null {
  if (!Number.isInteger(pid) || pid <= 1) return `pid ${pid} is PID 1 or invalid`;
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const p = byPid.get(pid);
  const name = p?.comm ?? comm ?? '';
  if (PROTECTED_COMMS.has(name) || /(^|\/)sshd( |$)/.test(p?.exe ?? '')) return `pid ${pid} is ${name || 'sshd'} (never killed)`;
  if (p?.kernelThread) return `pid ${pid} is a kernel thread`;
  return null;
}

/** Parse "a.b.c.d" or "a.b.c.d/n" into [network, prefix]; null when not IPv4. */
function parseV4(s: string): [number, number] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(s.trim());
  if (!m) return null;
  const o = m.slice(1, 5).map(Number);
  if (o.some((x) => x > 255)) return null;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return null;
  return [((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0, prefix];
}

/** True when `cidr` (an address or network) contains `address`. Non-IPv4 compares text. */
export function cidrContains(cidr: string, address: string): boolean {
  const net = parseV4(cidr);
  const a = parseV4(address);
  if (!net || !a) return cidr.trim() === address.trim();
  const [n, prefix] = net;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return ((n & mask) >>> 0) === ((a[0] & mask) >>> 0);
}

/** Why blocking this address would cut the controller off, or null. */
export function protectedAddress(address: string, controller: ControllerInfo): string | null {
  if (cidrContains(address, controller.address)) return `${address} covers the controller's address ${controller.address} (never blocked)`;
  const other = controller.localAddresses?.find((a) => cidrContains(address, a));
  if (other) return `${address} covers ${other}, an address of the controller (never blocked)`;
  if (/^(0\.0\.0\.0(\/0)?|::\/0|::)$/.test(address.trim())) return `${address} is every address (would block the controller)`;
  if (cidrContains(address, '127.0.0.1')) return `${address} covers loopback (never blocked)`;
  return null;
}

/** Why a rule on this port would touch SSH, or null. */
export function protectedPort(port: number | undefined, controller: ControllerInfo): string | null {
  if (port !== undefined && port === controller.sshPort) return `port ${port} is the SSH port (never blocked)`;
  return null;
}

/** Why this authorized key must be kept, or null. */
export function protectedKey(fingerprint: string, controller: ControllerInfo): string | null {
  if (controller.keyFingerprints.includes(fingerprint)) return `${fingerprint} is the key the controller logs in with (never removed)`;
  return null;
}

/** Why this account must be kept, or null. */
export function protectedAccount(name: string, uid: number, controller: ControllerInfo): string | null {
  if (name === 'root') return 'root is never removed';
  if (controller.user && name === controller.user) return `${name} is the account the controller logs in with (never removed)`;
  if (uid === 0 && name === 'root') return 'root is never removed';
  return null;
}

const SYSTEM_PATHS = new Set([
  '/', '/bin', '/boot', '/dev', '/dev/shm', '/etc', '/home', '/lib', '/lib32', '/lib64', '/media', '/mnt', '/opt', '/proc', '/root', '/run', '/run/shm',
  '/sbin', '/srv', '/sys', '/tmp', '/usr', '/usr/bin', '/usr/lib', '/usr/local', '/usr/local/bin', '/usr/sbin', '/var', '/var/lib', '/var/log', '/var/spool',
  '/var/spool/cron', '/var/spool/cron/crontabs', '/var/tmp', '/etc/cron.d', '/etc/cron.hourly', '/etc/cron.daily', '/etc/init.d', '/etc/systemd', '/etc/systemd/system',
  '/lib/systemd/system', '/usr/lib/systemd/system', '/etc/ssh', '/root/.ssh',
]);

/** Why this path must never be moved into quarantine, or null. */
export function protectedPath(path: string): string | null {
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (!p.startsWith('/')) return `${path} is not an absolute path`;
  if (SYSTEM_PATHS.has(p)) return `${path} is a system directory (never moved)`;
  if (/\/\.\.?(\/|$)/.test(p)) return `${path} holds . or .. components`;
  if (p.startsWith('/proc/') || p.startsWith('/sys/') || p.startsWith('/var/lib/minesweep/')) return `${path} is under /proc, /sys or minesweep's own directory`;
  return null;
}
