import type { Rule } from '../types.js';
import { finding, lineEvidence } from '../../evidence/finding.js';
import { commandLines, judgeLine } from '../../evidence/line-judge.js';
import { persistenceEntries } from './graph.js';
import { scriptHits } from './script-reasons.js';

/**
 * A persistence line or a script it runs that kills or removes other miners: the mark of a
 * mining dropper (it clears the host for itself). The miners it names are its victims, so the
 * finding carries no family of its own.
 */
export const killsCompetitors: Rule = {
  id: 'persistence.kills-competitors',
  run: (facts, { catalogue }) => {
    const out = [];
    const seen = new Set<string>();
    for (const f of [...facts.cron, ...facts.initScripts, ...facts.profiles])
      for (const { lineNumber, line } of commandLines(f)) {
        const v = judgeLine(line, catalogue);
        if (!v.reasons.includes('kills-competitors')) continue;
        seen.add(`${f.path}\0${lineNumber}`);
        out.push(
          finding(facts, {
            rule: 'persistence.kills-competitors',
            severity: 'high',
            title: `${f.path} line ${lineNumber} kills competing miners`,
            evidence: [lineEvidence(f, lineNumber, line), { kind: 'line', text: v.why.find((w) => w.startsWith('kills')) ?? '' }],
            artifacts: [/\/(cron|crontabs)\b|^\/etc\/cron/.test(f.path) ? { type: 'cron-line', path: f.path, lineNumber, line } : { type: 'profile-line', path: f.path, lineNumber, line }],
            remedy: 'A miner dropper clears the host for itself: find the miner it installs, then remove the line.',
          }),
        );
      }
    const targets = new Set(persistenceEntries(facts).flatMap((e) => e.targets));
    for (const t of targets) {
      const hits = scriptHits(facts, t, catalogue, ['kills-competitors']);
      if (!hits.length) continue;
      out.push(
        finding(facts, {
          rule: 'persistence.kills-competitors',
          severity: 'high',
          title: `${t}, run by a persistence entry, kills competing miners`,
          evidence: hits.slice(0, 5).map((h) => ({ kind: 'line' as const, text: h.line, path: t, lineNumber: h.lineNumber })),
          artifacts: [{ type: 'file', path: t, reason: 'script that kills competing miners' }],
          remedy: 'A miner dropper clears the host for itself: quarantine the script and find the miner it installs.',
        }),
      );
    }
    return out;
  },
};
