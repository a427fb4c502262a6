import fs from 'node:fs';
import path from 'node:path';

// What the lab needs from the machine, and the apt package that provides each tool.

export const REQUIRED_TOOLS: Record<string, string> = {
  ip: 'iproute2',
  unshare: 'util-linux',
  nsenter: 'util-linux',
  pivot_root: 'util-linux',
  flock: 'util-linux',
  setsid: 'util-linux',
  sshd: 'openssh-server',
  'ssh-keygen': 'openssh-client',
  cron: 'cron',
  'redis-server': 'redis-server',
  iptables: 'iptables',
  chattr: 'e2fsprogs',
  setfattr: 'attr',
  cc: 'gcc',
  curl: 'curl',
  wget: 'wget',
  sudo: 'sudo',
  pgrep: 'procps',
  pstree: 'psmisc',
  useradd: 'passwd',
  chpasswd: 'passwd',
  java: 'openjdk-17-jre-headless',
};

const DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function findTool(name: string, pathEnv = process.env.PATH ?? ''): string | null {
  for (const d of [...pathEnv.split(':').filter(Boolean), ...DIRS]) {
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** Problems that stop `lab up` (each says what to do); empty when the machine is ready. */
export function preflightProblems(env: { platform: string; uid: number | null; has: (tool: string) => boolean; node: string }): string[] {
  if (env.platform !== 'linux') return [`the lab needs Linux (network, mount and PID namespaces); this is ${env.platform}`];
  const problems: string[] = [];
  if (env.uid !== 0) problems.push('the lab needs root (namespaces, mounts, veth): run it with sudo or as root');
  const missing = Object.keys(REQUIRED_TOOLS).filter((t) => !env.has(t));
  if (missing.length) {
    const pkgs = [...new Set(missing.map((t) => REQUIRED_TOOLS[t]!))].sort();
    problems.push(`missing ${missing.join(', ')}: install with \`apt-get install -y ${pkgs.join(' ')}\``);
  }
  if (env.node.startsWith('/root/')) problems.push(`node is ${env.node}, under /root, which lab hosts do not see: install node system-wide (e.g. /usr/bin/node)`);
  return problems;
}

export function preflight(): void {
  const problems = preflightProblems({
    platform: process.platform,
    uid: typeof process.getuid === 'function' ? process.getuid() : null,
    has: (t) => findTool(t) !== null,
    node: process.execPath,
  });
  if (problems.length) throw new Error(`lab: ${problems.join('; ')}`);
}
