import type { Scenario } from './types.js';
import { cronLine, ROOT_CRONTAB } from './kit.js';

/** Legitimate cron lines every clean-ish host carries (remediation must keep them). */
export const LEGIT_CRON = [
  '# m h dom mon dow command',
  '15 2 * * * /usr/bin/test -d /var/backups && /usr/bin/touch /var/backups/.lab-nightly',
];

/** What every lab host of a role carries, as real fleets do: the legitimate cron lines, and the ground truth that they must stay. */
export const legitCron = {
  plant: (): string[] => LEGIT_CRON.map((l) => cronLine(l)),
  artifacts: () => LEGIT_CRON.slice(1).map((line) => ({ kind: 'cron-line' as const, path: ROOT_CRONTAB, line, legitimate: true })),
};

export const clean: Scenario = {
  name: 'clean',
  plan: () => ({
    family: null,
    plant: legitCron.plant(),
    start: [],
    artifacts: legitCron.artifacts(),
    expectFindings: false,
    respawnSeconds: null,
    binaries: [],
  }),
};
