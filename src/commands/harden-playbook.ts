import path from 'node:path';
import { playbooksDir } from '../core/paths.js';
import { loadPlaybook } from '../playbook/load-playbook.js';
import type { Playbook } from '../playbook/types.js';

// What `minesweep harden` runs: playbooks/harden-<area>.yml of the chosen areas as one
// playbook (ssh first: its fresh-login checks prove access before the firewall and Redis
// change, and a host that fails an area sits out the later ones), the planning copy of it,
// and the hardening vars of an inventory written as INI-style lists.

export type HardenArea = 'ssh' | 'firewall' | 'redis';
/** In the order they are applied. */
export const HARDEN_AREAS: readonly HardenArea[] = ['ssh', 'firewall', 'redis'];

export interface HardenPlaybook {
  playbook: Playbook;
  /** play name -> the area its file hardens */
  areaOf: ReadonlyMap<string, HardenArea>;
}

/** The built-in playbooks of `areas` (from `dir`), in HARDEN_AREAS order, as one playbook. */
export async function hardenPlaybook(areas: readonly HardenArea[], dir = playbooksDir): Promise<HardenPlaybook> {
  const chosen = HARDEN_AREAS.filter((a) => areas.includes(a));
  const books = await Promise.all(chosen.map((a) => loadPlaybook(path.join(dir, `harden-${a}.yml`))));
  const areaOf = new Map<string, HardenArea>();
  books.forEach((b, i) => { for (const p of b.plays) areaOf.set(p.name, chosen[i]!); });
  return { playbook: { file: books.map((b) => b.file).join(', '), dir: books[0]?.dir ?? dir, plays: books.flatMap((b) => b.plays) }, areaOf };
}

/** The planning copy: every task goes on after a failed one, so a refusal in one area does not hide another area's. */
export function planEveryArea(pb: Playbook): Playbook {
  return { ...pb, plays: pb.plays.map((p) => ({ ...p, tasks: p.tasks.map((t) => ({ ...t, ignoreErrors: true })) })) };
}

const LISTS = ['harden_block_addresses', 'harden_allow_sources', 'redis_bind', 'ssh_allowed_keys'];
const PORT_LISTS = ['harden_block_ports', 'harden_datastore_ports'];

/** Hardening vars an inventory gives as "a,b c" strings (INI), as the lists the modules take; the rest left out. */
export function hardenSeedVars(vars: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const split = (v: string) => v.split(/[\s,]+/).filter(Boolean);
  for (const k of LISTS) if (typeof vars[k] === 'string') out[k] = split(vars[k]);
  for (const k of PORT_LISTS) {
    const v = vars[k];
    if (typeof v === 'string') out[k] = split(v).map(Number);
    else if (typeof v === 'number') out[k] = [v];
    else if (Array.isArray(v) && v.some((x) => typeof x === 'string')) out[k] = v.map(Number);
  }
  return out;
}
