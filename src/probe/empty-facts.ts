import type { HostFacts } from '../facts/types.js';

/** HostFacts with every section at its "missing" value. */
export function emptyFacts(host: string): HostFacts {
  return {
    host,
    hostname: '',
    collectedAt: 0,
    kernel: { release: '', tainted: 0, modules: [] },
    uptimeSeconds: 0,
    load: [0, 0, 0],
    cpuCount: 1,
    processes: [],
    hiddenPids: [],
    sockets: [],
    cron: [],
    units: [],
    initScripts: [],
    profiles: [],
    ldPreload: null,
    ldSoConfD: [],
    etcHosts: null,
    accounts: [],
    shadow: [],
    sudoers: [],
    authorizedKeys: [],
    authorizedKeysFileSetting: '',
    sshdConfig: null,
    attributes: {},
    renamedBinaries: [],
    executables: [],
    redis: [],
    iptables: { available: false, rules: [] },
    docker: { apiListening: false, addresses: [] },
    recentFiles: [],
    meta: { bytes: 0, durationMs: 0, truncated: [], errors: [], tools: [] },
  };
}
