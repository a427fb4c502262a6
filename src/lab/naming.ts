import { createHash } from 'node:crypto';
import path from 'node:path';

// Every namespace, bridge and veth of a lab embeds a short id derived from the lab's
// directory, so several labs coexist and `lab down` finds only its own (iface names ≤ 15).

/** 5 hex chars from the absolute lab directory. */
export function labId(dir: string): string {
  return createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 5);
}

export interface LabNames {
  id: string;
  bridge: string;
  /** prefix of this lab's netns names */
  netnsPrefix: string;
  /** prefix of this lab's root-namespace interfaces */
  ifacePrefix: string;
}

export function labNames(dir: string): LabNames {
  const id = labId(dir);
  return { id, bridge: `ms${id}br`, netnsPrefix: `ms-${id}-`, ifacePrefix: `ms${id}` };
}

/** Names for host number `slot` (0-based over every host, pool and hidden ones included). */
export function hostIfaces(names: LabNames, slot: number): { netns: (host: string) => string; veth: string; peer: string } {
  if (slot < 0 || slot > 999) throw new Error(`lab host slot ${slot} out of range 0..999`);
  return {
    netns: (host: string) => `${names.netnsPrefix}${host}`,
    veth: `${names.ifacePrefix}v${slot}`,
    peer: `${names.ifacePrefix}p${slot}`,
  };
}

/** Host names: h01…h99 (h001… past 99), hidden01…, pool. */
export function hostName(index: number, total: number): string {
  return `h${String(index + 1).padStart(total > 99 ? 3 : 2, '0')}`;
}
