import type { Artifact } from '../../findings/types.js';
import type { Rule } from '../types.js';
import { finding, lineEvidence } from '../../evidence/finding.js';
import { extractIocs } from '../../evidence/iocs-extract.js';
import { integrityOf, packageDeviation } from '../integrity/lookup.js';
import { persistenceEntries } from './graph.js';
import { scriptHits } from './script-reasons.js';

/**
 * A persistence entry (cron line or script, unit, init.d/rc/motd/udev, profile) that runs a file
 * its package state does not vouch for — no package owns it in a system directory, it differs
 * from its package, it is a package binary copied under another name — or a script whose text
 * downloads and runs, mines, decodes a payload or kills competitors.
 */
export const persistenceRunsUntrusted: Rule = {
  id: 'persistence.runs-untrusted',
  run: (facts, { catalogue }) =>
    persistenceEntries(facts).flatMap((e) => {
      const why: string[] = [];
      const files: Artifact[] = [];
      let family: string | undefined;
      const hitLines: string[] = [];
      for (const t of e.targets) {
        const dev = packageDeviation(facts, t);
        if (dev) {
          why.push(dev);
          if (integrityOf(facts, t)?.state === 'unowned') files.push({ type: 'file', path: t, reason: dev });
        }
        for (const h of scriptHits(facts, t, catalogue)) {
          why.push(`${t} line ${h.lineNumber} ${h.why.join('; ')}`);
          hitLines.push(h.line);
          family ??= h.family;
        }
      }
      if (!why.length) return [];
      const f = finding(facts, {
        rule: 'persistence.runs-untrusted',
        severity: why.length > 1 ? 'critical' : 'high',
        title: `${e.mechanism} ${e.file.path}${e.lineNumber ? ` line ${e.lineNumber}` : ''} runs ${why[0]}`,
        family,
        evidence: [e.lineNumber ? lineEvidence(e.file, e.lineNumber, e.line) : { kind: e.mechanism === 'unit' ? 'unit' : 'file', text: e.line, path: e.file.path, time: e.file.mtime }, ...why.map((w) => ({ kind: 'file' as const, text: w }))],
        iocs: [...extractIocs(e.line), ...hitLines.flatMap(extractIocs)],
        artifacts: [e.artifact, ...files],
        remedy: 'Remove the entry and quarantine what it runs; reinstall any package file it replaced.',
      });
      f.reasons = ['untrusted-target'];
      return [f];
    }),
};
