import type { Target } from '../inventory/types.js';
import { localReader } from '../playbook/local-files.js';
import { getModule } from '../playbook/registry.js';
import type { PlaybookRunOptions } from '../playbook/run-playbook.js';
import type { Playbook } from '../playbook/types.js';
import { quarantineDirFor } from '../quarantine/undo-lib.js';
import { controllerKeyFingerprints } from '../sweep/controller-keys.js';
import { runFleet } from '../transport/fleet.js';
import type { FleetOptions, RunFleet } from '../transport/types.js';
import type { FleetCliOptions } from './common.js';

// The runPlaybook options the fleet commands set alike (run, remediate, harden): the run's id
// and quarantine directory, the CLI's timeout and become, every key the controller logs in
// with, the module registry, the playbook's local files and the transport. Each command adds
// its check mode, tags, vars, seed, events, journal and stop.

export type EngineBase = Pick<PlaybookRunOptions, 'runId' | 'runDir' | 'quarantineDir' | 'timeoutMs' | 'become' | 'controllerKeys' | 'getModule' | 'readLocal' | 'targetsFor' | 'runFleet' | 'fleet'>;

/** `keyTargets`: the selected targets whose keys the guards keep; `targetsFor`: the hosts of each play. */
export function engineBase(o: Pick<FleetCliOptions, 'timeoutMs' | 'become'>, run: { id: string; dir: string }, pb: Playbook, fleet: FleetOptions, keyTargets: readonly Target[], targetsFor: PlaybookRunOptions['targetsFor']): EngineBase {
  return {
    runId: run.id,
    runDir: run.dir,
    quarantineDir: quarantineDirFor(run.id),
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    become: o.become,
    controllerKeys: controllerKeyFingerprints([...keyTargets]),
    getModule,
    readLocal: localReader(pb.dir),
    targetsFor,
    runFleet: runFleet as RunFleet,
    fleet,
  };
}

/** Every play runs on exactly these hosts (the commands that choose them from a sweep). */
export const onlyThese = (targets: Target[]): PlaybookRunOptions['targetsFor'] => async () => ({ targets, problems: [] });
