import type { Rule } from '../types.js';
import { byPid, finding, processArtifact, processEvidence } from '../../evidence/finding.js';

// the probe's own short-lived helpers may come and go between two listings
const TRANSIENT = new Set(['ps', 'sh', 'dash', 'bash', 'cat', 'sed', 'awk', 'ls', 'find', 'sleep', 'timeout', 'readlink', 'sha256sum', 'ss', 'netstat', 'lsattr', 'head', 'tr', 'od', 'base64', 'sort', 'xargs', 'stat', 'grep', 'wc', 'printf']);

/** PIDs hidden from ps or from the /proc listing: a preload or kernel rootkit. */
export const hiddenProcess: Rule = {
  id: 'process.hidden',
  run: (facts) => {
    const procs = byPid(facts);
    return facts.hiddenPids
      .filter((h) => !TRANSIENT.has(procs.get(h.pid)?.comm ?? '') && !procs.get(h.pid)?.kernelThread)
      .map((h) => {
        const p = procs.get(h.pid);
        return finding(facts, {
          rule: 'process.hidden',
          severity: 'high',
          title: `PID ${h.pid} is hidden (${h.how === 'missing-from-ps' ? 'missing from ps' : 'missing from the /proc listing'})`,
          evidence: [p ? processEvidence(p) : { kind: 'process', text: `pid ${h.pid}: ${h.how}`, pid: h.pid }],
          artifacts: p ? [processArtifact(p, 'other')] : [],
          remedy: 'Something hides this process: check /etc/ld.so.preload and kernel modules, then stop it by PID.',
        });
      });
  },
};
