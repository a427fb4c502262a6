import type { Target } from '../inventory/types.js';
import { runFleet } from './fleet.js';
import type { FleetOptions } from './types.js';

/**
 * A new SSH connection to the target logs in and runs `true` (tries times, 1 s apart:
 * sshd re-executes itself on SIGHUP and needs a few seconds to listen again).
 */
export async function freshLogin(target: Target, fleet: FleetOptions, tries = 10): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    const [fresh] = await runFleet([target], async (s) => ((await s.exec('true')).code === 0 ? { status: 'ok' } : { status: 'failed' }), { ...fleet, forks: 1, onProgress: () => {}, warn: () => {} });
    if (fresh?.status === 'ok') return true;
    if (i < tries - 1) await new Promise((res) => setTimeout(res, 1000));
  }
  return false;
}
