import type { Rule } from '../types.js';
import { familyOfProcess } from '../../evidence/family-match.js';
import { finding, processArtifact, processEvidence, processIocs } from '../../evidence/finding.js';
import { inWritableLocation, inPackagedPath } from '../../evidence/paths.js';

/** %CPU (lifetime average, per core) above which a process counts as busy. */
export const BUSY_CPU_PERCENT = 50;

/** Sustained high CPU by a process whose exe is deleted or in a writable/hidden place. */
export const highCpuSuspiciousExe: Rule = {
  id: 'process.high-cpu-suspicious-exe',
  run: (facts, { catalogue }) =>
    facts.processes
      .filter((p) => !p.kernelThread && p.cpuPercent >= BUSY_CPU_PERCENT && p.exe && (inWritableLocation(p.exe) || (p.exeDeleted && !inPackagedPath(p.exe))))
      .map((p) =>
        finding(facts, {
          rule: 'process.high-cpu-suspicious-exe',
          severity: 'critical',
          title: `Process ${p.comm} (pid ${p.pid}) uses ${p.cpuPercent}% CPU from a suspicious executable`,
          family: familyOfProcess(p, catalogue)?.family.id,
          evidence: [processEvidence(p)],
          iocs: processIocs(p),
          artifacts: [processArtifact(p, 'miner')],
          remedy: 'A busy process from a temp/hidden/deleted executable is how miners look: preserve /proc/PID/exe, stop it, find its persistence.',
        }),
      ),
};
