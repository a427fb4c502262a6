import type { Scenario } from './types.js';
import { clean } from './clean.js';
import { busy } from './busy.js';
import { redis } from './redis.js';
import { ddg } from './ddg.js';
import { kinsing } from './kinsing.js';
import { outlaw } from './outlaw.js';
import { cleanfda } from './cleanfda.js';
import { aliyunduns } from './aliyunduns.js';
import { skidmap } from './skidmap.js';
import { hostile } from './hostile.js';
import { pivot } from './pivot.js';
import { watchdogs } from './field/watchdogs.js';
import { migo } from './field/migo.js';
import { perfctl } from './field/perfctl.js';
import { kerberods } from './field/kerberods.js';
import { coinstomp } from './field/coinstomp.js';
import { diicot } from './field/diicot.js';
import { teamtnt } from './field/teamtnt.js';
import { p2pinfect } from './field/p2pinfect.js';
import { lemonduck } from './field/lemonduck.js';
import { xanthe } from './field/xanthe.js';
import { prodApp, prodDb, prodWeb } from './field/prod.js';

/** Scenarios in assignment order: host i gets SCENARIOS[i % length]. 11 hosts get them all. */
export const SCENARIOS: Scenario[] = [clean, busy, redis, ddg, kinsing, outlaw, cleanfda, aliyunduns, skidmap, hostile, pivot];

/**
 * Scenarios modelled on public incident write-ups (field/, each file cites its sources) and
 * clean production-like hosts; not in the round-robin: `lab up --scenarios NAME,…` places them.
 */
export const FIELD_SCENARIOS: Scenario[] = [watchdogs, migo, perfctl, kerberods, coinstomp, diicot, teamtnt, p2pinfect, lemonduck, xanthe, prodWeb, prodDb, prodApp];

/** The detection lab (e2e 12): every field scenario, the clean production hosts and a plain clean host. */
export const DETECTION_SET = [...FIELD_SCENARIOS.map((s) => s.name), 'clean'];

/** Every family that gets its own binary (distinct sha256), plus the legitimate "busy" one. */
export const FAMILIES = ['busy', 'minerd', 'ddg', 'kinsing', 'outlaw', 'cleanfda', 'aliyunduns', 'skidmap', 'xmrig', 'watchdogs', 'migo', 'perfctl', 'kerberods', 'coinstomp', 'teamtnt', 'p2pinfect', 'lemonduck', 'xanthe'];

export function scenarioFor(index: number, only?: string[]): Scenario {
  const list = only && only.length ? only.map(byName) : SCENARIOS;
  return list[index % list.length]!;
}

const ALL = [...SCENARIOS, ...FIELD_SCENARIOS];

export function byName(name: string): Scenario {
  const s = ALL.find((x) => x.name === name);
  if (!s) throw new Error(`unknown lab scenario ${JSON.stringify(name)}: expected one of ${ALL.map((x) => x.name).join(', ')}`);
  return s;
}
