import type { Scenario } from '../types.js';
import { appendLine, installBinary, processArtifact, startProcess, stratum, writeFile } from '../kit.js';

// Modelled on: Aqua Nautilus, "perfctl: A Stealthy Malware Targeting Millions of Linux
// Servers" (2024), https://www.aquasec.com/blog/perfctl-a-stealthy-malware-targeting-millions-of-linux-servers/,
// as catalogued in "Millions of Linux Servers at Risk: Perfctl's Covert Campaign Exploiting
// Servers for Cryptocurrency Mining and Proxyjacking", https://socradar.io/free-tools/campaigns/1232
// (a binary under ~/.config/cron started from ~/.profile at every login, a userland rootkit
// library in /usr/lib listed in /etc/ld.so.preload). Its tool wrappers in ~/.local/bin are
// not modelled (the probe does not read ~/.local/bin).
const BIN = '/root/.config/cron/perfcc';
const LIB = '/usr/lib/libpprocps.so';

export const perfctl: Scenario = {
  name: 'perfctl',
  plan: (ctx) => {
    const argv = [BIN, '-o', stratum(ctx.pool, 45700)];
    const profile = `${BIN} >/dev/null 2>&1 &`;
    return {
      family: 'perfctl',
      plant: [
        installBinary('perfctl', BIN),
        appendLine('/root/.profile', profile),
        `install -m 644 /run/lab/bin/libsystem.so ${LIB}`,
        writeFile('/etc/ld.so.preload', `${LIB}\n`),
      ],
      start: [startProcess(argv)],
      artifacts: [
        processArtifact(argv, 'perfctl', ctx.sha256('perfctl'), 'miner', `${ctx.pool}:45700`),
        { kind: 'file', path: BIN },
        { kind: 'profile-line', path: '/root/.profile', line: profile },
        { kind: 'preload', path: '/etc/ld.so.preload', line: LIB },
        { kind: 'file', path: LIB },
      ],
      expectFindings: true,
      respawnSeconds: null,
      binaries: ['perfctl', 'libsystem.so'],
      sources: [
        { url: 'https://www.aquasec.com/blog/perfctl-a-stealthy-malware-targeting-millions-of-linux-servers/', title: 'perfctl: A Stealthy Malware Targeting Millions of Linux Servers (Aqua Nautilus)' },
        { url: 'https://socradar.io/free-tools/campaigns/1232', title: "Millions of Linux Servers at Risk: Perfctl's Covert Campaign Exploiting Servers for Cryptocurrency Mining and Proxyjacking" },
      ],
    };
  },
};
