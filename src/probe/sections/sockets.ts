import type { HostFacts, SocketFact } from '../../facts/types.js';
import type { ProbeRecord } from '../records.js';
import type { ParseContext, ProbeSection } from '../section.js';
import { shText } from '../sh-text.js';

// Sockets from the kernel's own tables (/proc/net/tcp, tcp6, udp, udp6) on every host, ss or
// not; the owning pid from socket inodes: GNU find prints every /proc/PID/fd/N link that
// reads "socket:[INODE]" (no fd is followed), else `stat -L` on every fd, sockets only (raw
// mode 0xc…) as "mode inode /proc/PID/fd/N" — nothing the host names.
const snippet = shText`
  for ms_f in tcp tcp6 udp udp6; do
    [ -r /proc/net/$ms_f ] || continue
    ms_r table
    ms_l proto $ms_f
    ms_fv rows /proc/net/$ms_f
  done
  ms_r fds
  printf '@B map\n'
  if [ -n "$MS_BATCH" ]; then
    find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 -lname 'socket:*' -printf '%l %p\n' 2>/dev/null | ms_enc
  elif [ -n "$MS_HAVE_stat" ]; then
    find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 -exec stat -L -c '%f %i %n' {} + 2>/dev/null | grep '^c' | ms_enc
  fi
`;

const STATES: Record<string, string> = {
  '01': 'ESTAB', '02': 'SYN-SENT', '03': 'SYN-RECV', '04': 'FIN-WAIT-1', '05': 'FIN-WAIT-2', '06': 'TIME-WAIT',
  '07': 'CLOSE', '08': 'CLOSE-WAIT', '09': 'LAST-ACK', '0A': 'LISTEN', '0B': 'CLOSING',
};

/** "0100007F:1A0B" (host-endian 32-bit words, x86) → ["127.0.0.1", 6667]. */
export function decodeAddress(hexAddr: string): [string, number] {
  const [a = '', p = '0'] = hexAddr.split(':');
  const port = parseInt(p, 16);
  const words = a.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => [w.slice(6, 8), w.slice(4, 6), w.slice(2, 4), w.slice(0, 2)].map((x) => parseInt(x, 16)));
  if (bytes.length === 4) return [bytes.join('.'), port];
  // IPv4-mapped ::ffff:a.b.c.d shown as a.b.c.d, like ss does not, but rules compare addresses
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return [`::ffff:${bytes.slice(12).join('.')}`, port];
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return [compressV6(groups), port];
}

function compressV6(groups: string[]): string {
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) (best = i), (bestLen = j - i);
    i = j;
  }
  if (bestLen < 2) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

export function parseSockets(records: ProbeRecord[], ctx: ParseContext): Partial<HostFacts> {
  const owner = new Map<string, number>();
  for (const r of records.filter((x) => x.kind === 'fds'))
    for (const line of r.str('map').split('\n')) {
      const m = /^(?:c[0-9a-f]{3} (\d+)|socket:\[(\d+)\]) \/proc\/(\d+)\/fd\/\d+$/.exec(line);
      const inode = m?.[1] ?? m?.[2];
      if (m && inode && !owner.has(inode)) owner.set(inode, Number(m[3]));
    }
  const comm = new Map(ctx.facts.processes.map((p) => [p.pid, p.comm]));
  const sockets: SocketFact[] = [];
  for (const r of records.filter((x) => x.kind === 'table')) {
    const proto = r.str('proto') as SocketFact['proto'];
    if (!['tcp', 'tcp6', 'udp', 'udp6'].includes(proto)) continue;
    for (const line of r.str('rows').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const [localAddress, localPort] = decodeAddress(f[1]!);
      const [remoteAddress, remotePort] = decodeAddress(f[2]!);
      const st = f[3]!.toUpperCase();
      const state = proto.startsWith('udp') && st === '07' ? 'UNCONN' : STATES[st] ?? st;
      const pid = owner.get(f[9]!) ?? null;
      sockets.push({ proto, state, localAddress, localPort, remoteAddress, remotePort, pid, process: pid === null ? '' : comm.get(pid) ?? '' });
    }
  }
  return { sockets };
}

export const socketsSection: ProbeSection = {
  name: 'sockets',
  snippet,
  timeoutSeconds: 20,
  parse: parseSockets,
  missing: () => ({ sockets: [] }),
};
