import type { Catalogue } from '../../catalogue/types.js';
import type { HostFacts } from '../../facts/types.js';
import { integrityOf } from '../integrity/lookup.js';
import { judgeLine } from '../../evidence/line-judge.js';

/** Reasons that mark a script's line as malicious wherever the script lives. */
export const STRONG_REASONS = ['download-pipe-shell', 'dev-tcp', 'family', 'miner-marker', 'pool-domain', 'kills-competitors', 'decoded', 'ld-preload'];

export interface ScriptHit {
  lineNumber: number;
  line: string;
  reasons: string[];
  why: string[];
  family?: string;
}

/** The lines of a deviating script (text the integrity section shipped) that carry strong reasons. */
export function scriptHits(facts: HostFacts, path: string, cat: Catalogue, wanted: readonly string[] = STRONG_REASONS): ScriptHit[] {
  const content = integrityOf(facts, path)?.content;
  if (!content) return [];
  return content.split('\n').flatMap((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('#')) return [];
    const v = judgeLine(line, cat);
    const reasons = v.reasons.filter((r) => wanted.includes(r));
    if (!reasons.length) return [];
    return [{ lineNumber: i + 1, line, reasons, why: v.why, ...(v.family ? { family: v.family } : {}) }];
  });
}
