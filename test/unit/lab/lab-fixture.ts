// A planned lab (13 hosts, bastion) with fake keys and hashes, shared by the lab unit tests.
import { planLab } from '../../../src/lab/plan.js';

export const key = { publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake', fingerprint: 'SHA256:fake' };
export const opts = { dir: '/var/lib/minesweep/lab-u', subnet: '198.18.4.0/24', hosts: 13, bastion: true, hiddenHosts: 2 };
export const fixtureLab = () => planLab(opts, { sha256: (f: string) => `sha-${f}`, keys: { outlaw: key, cleanfda: key, hostile: key } });
