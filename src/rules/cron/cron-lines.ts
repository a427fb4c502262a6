import type { HostFacts, TextFile } from '../../facts/types.js';
import type { Artifact, Finding, Severity } from '../../findings/types.js';
import type { RuleContext } from '../types.js';
import { familyByPath, familyRoot } from '../../evidence/family-match.js';
import { finding, lineEvidence } from '../../evidence/finding.js';
import { inWritableLocation } from '../../evidence/paths.js';
import { extractIocs } from '../../evidence/iocs-extract.js';
import { commandLines, judgeLine, type LineVerdict } from '../../evidence/line-judge.js';

// Shared by the cron, init and profile rules: judge every command line of some files and
// turn the lines with the wanted reasons into findings.

export interface LineRuleSpec {
  rule: string;
  severity: Severity;
  /** the verdict reasons this rule reports */
  reasons: string[];
  title: (file: TextFile, lineNumber: number, v: LineVerdict) => string;
  artifact: (file: TextFile, lineNumber: number, line: string) => Artifact;
  remedy: string;
  /** the text judged for a line (e.g. ~ and $HOME expanded in a user's start-up file); the evidence keeps the line */
  expand?: (file: TextFile, line: string) => string;
}

export function lineFindings(facts: HostFacts, files: TextFile[], ctx: RuleContext, spec: LineRuleSpec): Finding[] {
  const out: Finding[] = [];
  for (const file of files)
    for (const { lineNumber, line } of commandLines(file)) {
      const v = judgeLine(spec.expand ? spec.expand(file, line) : line, ctx.catalogue);
      const hit = v.reasons.filter((r) => spec.reasons.includes(r));
      if (!hit.length) continue;
      const decoded = v.decoded ?? [];
      const f = finding(facts, {
        rule: spec.rule,
        severity: spec.severity,
        title: spec.title(file, lineNumber, v),
        family: v.family,
        evidence: [{ ...lineEvidence(file, lineNumber, line) }, ...decoded.map((d) => ({ kind: 'line' as const, text: `decoded (${d.how}): ${d.text.slice(0, 2000)}`, path: file.path, lineNumber }))],
        iocs: [...extractIocs(line), ...decoded.flatMap((d) => extractIocs(d.text))],
        artifacts: [spec.artifact(file, lineNumber, line), ...droppedFiles(line, ctx), ...decoded.flatMap((d) => droppedFiles(d.text, ctx))],
        remedy: spec.remedy,
      });
      f.reasons = [...v.reasons];
      out.push(f);
    }
  return out;
}

/** Files a line runs that a family drops or that sit in temp/hidden dirs: quarantine them too. */
function droppedFiles(line: string, ctx: RuleContext): Artifact[] {
  const out = new Map<string, Artifact>();
  for (const m of line.matchAll(/(?:^|[\s;&|'"=(])(\/[^\s'";&|()<>*?]+)/g)) {
    const p = m[1]!;
    if (p.startsWith('//') || p.startsWith('/dev/null')) continue;
    const fam = familyByPath(p, ctx.catalogue);
    if (fam || (inWritableLocation(p) && p.split('/').length > 2)) {
      const root = familyRoot(p, ctx.catalogue);
      out.set(root, { type: 'file', path: root, reason: fam ? `${fam.family.name} file named in ${line.trim().slice(0, 80)}` : 'dropped file a persistence line runs' });
    }
  }
  return [...out.values()];
}

export const cronLineArtifact = (file: TextFile, lineNumber: number, line: string): Artifact => ({ type: 'cron-line', path: file.path, lineNumber, line });
