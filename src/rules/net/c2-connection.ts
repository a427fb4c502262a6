import type { Rule } from '../types.js';
import { byPid, finding, outbound, plainAddress, processArtifact, processEvidence, socketEvidence } from '../../evidence/finding.js';

/** A connection to an address a catalogue family uses as C2 or download server. */
export const c2Connection: Rule = {
  id: 'net.c2-connection',
  run: (facts, { catalogue }) => {
    const procs = byPid(facts);
    return outbound(facts).flatMap((s) => {
      const address = plainAddress(s.remoteAddress);
      const fam = catalogue.families.find((f) => f.ips.includes(address));
      if (!fam) return [];
      const p = s.pid !== null ? procs.get(s.pid) : undefined;
      return [
        finding(facts, {
          rule: 'net.c2-connection',
          severity: 'critical',
          title: `Connection to ${fam.name} server ${address}:${s.remotePort}`,
          family: fam.id,
          evidence: [socketEvidence(s), ...(p ? [processEvidence(p)] : [])],
          iocs: [{ type: 'ip', value: address }],
          artifacts: [{ type: 'egress', address }, ...(p && !p.kernelThread ? [processArtifact(p, 'other')] : [])],
          remedy: `Block ${address} both ways and stop the process that talks to it.`,
        }),
      ];
    });
  },
};
