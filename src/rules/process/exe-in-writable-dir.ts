import type { Rule } from '../types.js';
import { familyOfProcess, familyRoot } from '../../evidence/family-match.js';
import { finding, processArtifact, processEvidence, processIocs } from '../../evidence/finding.js';
import { inTempDir, inWritableLocation, isMemfd, stripDeleted } from '../../evidence/paths.js';
import { processRole } from './role.js';

/** A process whose executable lives in /tmp, /var/tmp, /dev/shm, a memfd or a hidden directory. */
export const exeInWritableDir: Rule = {
  id: 'process.exe-in-writable-dir',
  run: (facts, { catalogue }) =>
    facts.processes
      .filter((p) => !p.kernelThread && p.exe && inWritableLocation(p.exe))
      .map((p) =>
        finding(facts, {
          rule: 'process.exe-in-writable-dir',
          // a memfd alone is how runc and some sandboxes start too: one weak reason
          severity: inTempDir(p.exe) && !isMemfd(p.exe) ? 'high' : 'medium',
          title: `Process ${p.comm} (pid ${p.pid}) runs from ${isMemfd(p.exe) ? `a memfd (fileless): ${stripDeleted(p.exe)}` : stripDeleted(p.exe)}`,
          family: familyOfProcess(p, catalogue)?.family.id,
          evidence: [processEvidence(p)],
          iocs: processIocs(p),
          artifacts: [processArtifact(p, processRole(p, facts, catalogue)), { type: 'file', path: familyRoot(stripDeleted(p.exe), catalogue), reason: 'executable in a world-writable or hidden location' }],
          remedy: 'Packages never install there: stop the process, quarantine the file, and find what started it (cron, unit, parent).',
        }),
      ),
};
