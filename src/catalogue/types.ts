import type { Ioc } from '../findings/types.js';

// The family/IOC catalogue: data the rules match facts against. Loaded from the YAML files
// in this directory and from any `--ioc FILE` (same schema, see families.yml header).

export type ProcessRole = 'miner' | 'watchdog' | 'other';

export interface FamilyProcess {
  /** comm, argv[0] basename or exe basename; glob (`*`, `?`) allowed, e.g. "ddg.*" */
  name: string;
  role: ProcessRole;
}

export interface Family {
  id: string;
  name: string;
  description: string;
  processes: FamilyProcess[];
  /** dropped files and directories; glob allowed; `~/` matches any home */
  paths: string[];
  /** substrings that mark a cron/unit/profile/init line or an argv as this family's */
  strings: string[];
  /** systemd unit names (glob) */
  units: string[];
  /** ld.so.preload library basenames (glob) */
  preload: string[];
  /** backdoor account names */
  accounts: string[];
  /** authorized_keys comments (substring) */
  keyComments: string[];
  domains: string[];
  ips: string[];
  urls: string[];
  sha256: string[];
  remedy: string;
  /** a catch-all family (stock xmrig): a more specific family wins when both match */
  generic?: boolean;
}

/** A generic miner command-line marker: substring of the joined argv or a cron line. */
export interface MinerMarker {
  text: string;
  family?: string;
}

export interface Catalogue {
  families: Family[];
  /** remote ports miners talk stratum on */
  minerPorts: number[];
  /** pool domains; a host name matches when it equals one or ends with "." + one */
  poolDomains: string[];
  minerMarkers: MinerMarker[];
  /** userland names that kernel threads use; a process with such a name and an exe is an impostor */
  kernelThreadNames: string[];
  /** loadable kernel modules of known rootkits */
  rootkitModules: string[];
  /** extra indicators (from --ioc files, or `minesweep iocs` exports) */
  iocs: Ioc[];
  /** authorized_keys fingerprints known to be legitimate (never reported) */
  trustedKeys: string[];
  /** where each piece came from, for messages */
  sources: string[];
}

export const emptyCatalogue = (): Catalogue => ({
  families: [],
  minerPorts: [],
  poolDomains: [],
  minerMarkers: [],
  kernelThreadNames: [],
  rootkitModules: [],
  iocs: [],
  trustedKeys: [],
  sources: [],
});
