import type { Scenario } from './types.js';
import { installBinary, processArtifact, startProcess, writeFile } from './kit.js';
import { clean } from './clean.js';

const JAVA = '/usr/lib/jvm/java-17-openjdk-amd64/bin/java';

/** A legitimate Java service at high CPU from its packaged path: a false-positive trap. */
export const busy: Scenario = {
  name: 'clean-busy',
  plan: (ctx) => {
    const base = clean.plan(ctx);
    const argv = [JAVA, '-Xms512m', '-Xmx2g', '-jar', '/opt/orders/orders-service.jar', '--server.port=8081'];
    const burn = ctx.instance === 0 ? '40' : '0';
    return {
      ...base,
      plant: [...base.plant, installBinary('busy', JAVA), writeFile('/opt/orders/orders-service.jar', 'PK lab placeholder\n')],
      start: [startProcess(argv, { MS_LAB_BURN: burn })],
      artifacts: [...base.artifacts, { ...processArtifact(argv, 'busy', ctx.sha256('busy'), 'other'), legitimate: true, note: `legitimate java, burns ${burn}% CPU` }],
      binaries: ['busy'],
    };
  },
};
