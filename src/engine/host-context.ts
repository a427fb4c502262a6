import { networkInterfaces } from 'node:os';
import { fingerprintOfKeyFile } from '../sweep/controller-keys.js';
import type { Session } from '../transport/types.js';
import type { ControllerInfo } from '../actions/types.js';
import type { Journal } from './journal.js';
import type { UndoContext } from './run-step.js';

/** The controller as this host sees it: its address and port, the login user, and every key it logs in with (the target's key file and `keys`). */
export async function controllerInfo(session: Session, keys: string[] = []): Promise<ControllerInfo> {
  const c = await session.controller();
  const fp = session.target.privateKeyFile ? fingerprintOfKeyFile(session.target.privateKeyFile, process.env['MINESWEEP_KEY_PASSPHRASE']) : null;
  const info: ControllerInfo = { address: c.address, sshPort: c.sshPort, port: c.port, user: session.target.user, keyFingerprints: [...new Set([...(fp ? [fp] : []), ...keys])] };
  if (c.hostAddress) info.hostAddress = c.hostAddress;
  const others = ownAddresses().filter((a) => a !== c.address);
  if (others.length) info.localAddresses = others;
  return info;
}

/** A host's step numbering and journal. */
export function undoContext(host: string, quarantineDir: string, journal?: Journal): UndoContext {
  let seq = 0;
  return { host, quarantineDir, ...(journal ? { journal } : {}), nextSeq: () => ++seq };
}

let own: string[] | undefined;
/** The controller's own non-loopback addresses (read once). */
function ownAddresses(): string[] {
  own ??= Object.values(networkInterfaces()).flatMap((l) => (l ?? []).filter((i) => !i.internal).map((i) => i.address.replace(/%.*$/, '')));
  return own;
}
