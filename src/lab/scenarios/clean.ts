import type { Scenario } from './types.js';
import { cronLine, ROOT_CRONTAB } from './kit.js';

/** Legitimate cron lines every clean-ish host carries (remediation must keep them). */
export const LEGIT_CRON = [
  '# m h dom mon dow command',
  '15 2 * * * /usr/bin/test -d /var/backups && /usr/bin/touch /var/backups/.lab-nightly',
];

export const clean: Scenario = {
  name: 'clean',
  plan: () => ({
    family: null,
    plant: LEGIT_CRON.map((l) => cronLine(l)),
    start: [],
    artifacts: LEGIT_CRON.slice(1).map((line) => ({ kind: 'cron-line' as const, path: ROOT_CRONTAB, line, legitimate: true })),
    expectFindings: false,
    respawnSeconds: null,
    binaries: [],
  }),
};
