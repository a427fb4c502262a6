import type { HostFacts, TextFile } from '../../../src/facts/types.js';
import type { RemediateContext } from '../../../src/remediate/context.js';

// Minimal host facts for planner tests: every section at its "missing" value, then overrides.
export function emptyFacts(over: Partial<HostFacts> = {}): HostFacts {
  return {
    host: 'web1', hostname: 'web1', collectedAt: 1_763_900_000,
    kernel: { release: '6.1.0', tainted: 0, modules: [] }, uptimeSeconds: 1000, load: [0, 0, 0], cpuCount: 2,
    processes: [], hiddenPids: [], sockets: [], cron: [], units: [], initScripts: [], profiles: [],
    ldPreload: null, ldSoConfD: [], etcHosts: null, accounts: [], shadow: [], sudoers: [], authorizedKeys: [],
    authorizedKeysFileSetting: '.ssh/authorized_keys', sshdConfig: null, attributes: {}, renamedBinaries: [],
    executables: [], redis: [], iptables: { available: true, rules: [] }, docker: { apiListening: false, addresses: [] },
    recentFiles: [], meta: { bytes: 0, durationMs: 0, truncated: [], errors: [], tools: [] },
    ...over,
  };
}

export function textFile(path: string, content: string, over: Partial<TextFile> = {}): TextFile {
  return { path, content, mtime: 0, mode: '0644', owner: 'root', group: 'root', size: content.length, attrs: '', truncated: false, ...over };
}

export function ctxFor(facts: HostFacts, quarantineDir = '/var/lib/minesweep/quarantine/run1'): RemediateContext {
  return {
    runId: 'run1', host: facts.host, facts, quarantineDir,
    controller: { address: '198.18.4.1', sshPort: 22, keyFingerprints: ['SHA256:controllerkey'], user: 'root' },
  };
}
