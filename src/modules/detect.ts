import { defineModule } from '../playbook/module-types.js';
import { catalogueFor, detectFindings, findingsData, probeFacts } from './support/probe-run.js';

// detect: run the detection rules on the host's facts (probing first when no earlier task
// did). Read-only; runs in check mode too. Later tasks see `findings` (a list) and, when
// registered, {count, infected, families, rules}.

export const module = defineModule<{ ioc?: string[]; reprobe?: boolean }>({
  name: 'detect',
  description: 'run the detection rules (probing first if needed); later tasks see `findings`',
  options: {
    ioc: { type: 'list', items: 'string', description: 'extra IOC/catalogue files' },
    reprobe: { type: 'boolean', description: 'probe again even if facts were collected earlier' },
  },
  async observe(a, ctx, host) {
    const cat = catalogueFor(a.ioc ?? []);
    const facts = !ctx.facts || a.reprobe ? await probeFacts(host, ctx, cat) : ctx.facts;
    const findings = detectFindings(facts, ctx, cat);
    const d = findingsData(findings);
    return { status: 'ok', facts, findings, message: findings.length ? `${findings.length} finding(s): ${(d['rules'] as string[]).join(', ')}` : 'no findings', data: d };
  },
});
