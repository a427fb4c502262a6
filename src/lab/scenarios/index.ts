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

/** Scenarios in assignment order: host i gets SCENARIOS[i % length]. 11 hosts get them all. */
export const SCENARIOS: Scenario[] = [clean, busy, redis, ddg, kinsing, outlaw, cleanfda, aliyunduns, skidmap, hostile, pivot];

/** Every family that gets its own binary (distinct sha256), plus the legitimate "busy" one. */
export const FAMILIES = ['busy', 'minerd', 'ddg', 'kinsing', 'outlaw', 'cleanfda', 'aliyunduns', 'skidmap', 'xmrig'];

export function scenarioFor(index: number, only?: string[]): Scenario {
  const list = only && only.length ? only.map(byName) : SCENARIOS;
  return list[index % list.length]!;
}

export function byName(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`unknown lab scenario ${JSON.stringify(name)}: expected one of ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}
