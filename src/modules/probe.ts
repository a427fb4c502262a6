import { defineModule } from '../playbook/module-types.js';
import { catalogueFor, probeFacts } from './support/probe-run.js';

// probe: collect the host's facts with the sweep's probe (one exec, read-only, runs in
// check mode too). Later tasks see them as `facts` (e.g. when: facts.os.id == "debian").

export const module = defineModule<{ ioc?: string[] }>({
  name: 'probe',
  description: "collect the host's facts (read-only, one exec); later tasks see `facts`",
  options: { ioc: { type: 'list', items: 'string', description: 'extra IOC/catalogue files (family paths to check)' } },
  async observe(a, ctx, host) {
    const facts = await probeFacts(host, ctx, catalogueFor(a.ioc ?? []));
    return { status: 'ok', facts, message: `${facts.processes.length} processes, ${facts.sockets.length} sockets`, data: { processes: facts.processes.length } };
  },
});
