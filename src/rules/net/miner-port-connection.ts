import type { Rule } from '../types.js';
import { familyOfProcess } from '../../evidence/family-match.js';
import { byPid, finding, isDeadConnection, outbound, plainAddress, processArtifact, processEvidence, socketEvidence } from '../../evidence/finding.js';
import { processIocs } from '../../evidence/finding.js';
import { basename, inPackagedPath } from '../../evidence/paths.js';

// busy servers from packaged paths talk to all sorts of ports (Selenium on 4444, adb on 5555 …)
const SERVERS = new Set(['java', 'mysqld', 'mariadbd', 'postgres', 'redis-server', 'nginx', 'httpd', 'apache2', 'node', 'python3', 'php-fpm', 'dockerd', 'containerd', 'sshd', 'haproxy', 'envoy', 'curl', 'wget']);

/** An outbound connection to a stratum port (3333, 4444, 5555, 7777, 14444, 45700 …), live or owned (a killed miner's closing socket is not one). */
export const minerPortConnection: Rule = {
  id: 'net.miner-port-connection',
  run: (facts, { catalogue }) => {
    const procs = byPid(facts);
    return outbound(facts)
      .filter((s) => catalogue.minerPorts.includes(s.remotePort) && !isDeadConnection(s))
      .filter((s) => {
        const p = s.pid !== null ? procs.get(s.pid) : undefined;
        return !(p && inPackagedPath(p.exe) && SERVERS.has(basename(p.exe)) && !familyOfProcess(p, catalogue));
      })
      .map((s) => {
        const p = s.pid !== null ? procs.get(s.pid) : undefined;
        const address = plainAddress(s.remoteAddress);
        return finding(facts, {
          rule: 'net.miner-port-connection',
          severity: 'high',
          title: `Connection to mining port ${address}:${s.remotePort}${p ? ` from ${p.comm} (pid ${p.pid})` : ''}`,
          family: p ? familyOfProcess(p, catalogue)?.family.id : undefined,
          evidence: [socketEvidence(s), ...(p ? [processEvidence(p)] : [])],
          iocs: [{ type: 'ip', value: address }, ...(p ? processIocs(p) : [])],
          artifacts: [{ type: 'egress', address, port: s.remotePort }, ...(p && !p.kernelThread ? [processArtifact(p, 'miner')] : [])],
          remedy: `Block egress to ${address}:${s.remotePort} and stop the process that holds the connection.`,
        });
      });
  },
};
