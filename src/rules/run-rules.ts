import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import { RULES } from './index.js';
import type { Rule, RuleContext } from './types.js';

/** Run every rule on one host: phase 1, then phase 2 with phase 1's findings. A rule that throws becomes a finding-free error. */
export function runRules(facts: HostFacts, ctx: RuleContext, rules: Rule[] = RULES): { findings: Finding[]; errors: string[] } {
  const errors: string[] = [];
  const apply = (rs: Rule[], c: RuleContext): Finding[] =>
    rs.flatMap((r) => {
      try {
        return r.run(facts, c);
      } catch (e) {
        errors.push(`rule ${r.id} failed on ${facts.host}: ${(e as Error).message}`);
        return [];
      }
    });
  const first = apply(rules.filter((r) => (r.phase ?? 1) === 1), ctx);
  const second = apply(rules.filter((r) => r.phase === 2), { ...ctx, prior: first });
  return { findings: [...first, ...second], errors };
}
