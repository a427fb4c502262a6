import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HostResult } from '../../../src/core/result.js';
import type { TaskEvent } from '../../../src/playbook/executor.js';
import { localReader } from '../../../src/playbook/local-files.js';
import { parsePlaybook } from '../../../src/playbook/parse.js';
import { getModule, loadModules, moduleNames } from '../../../src/playbook/registry.js';
import { runPlaybook, type HostSeed, type PlaybookRunResult } from '../../../src/playbook/run-playbook.js';
import type { RunEvents } from '../../../src/playbook/events.js';
import type { RunFleet, Session } from '../../../src/transport/types.js';
import type { Playbook } from '../../../src/playbook/types.js';
import { LocalSession, localTarget } from './local-session.js';

// Run a playbook (a fixture file, or one already loaded) on "hosts" that are local shells (see local-session.ts).

export const fixtures = path.resolve(import.meta.dirname, '../../fixtures/playbooks');

export async function parseFixture(rel: string) {
  await loadModules();
  const file = path.join(fixtures, rel);
  return parsePlaybook(readFileSync(file, 'utf8'), file, getModule, moduleNames());
}

export interface LocalRun extends PlaybookRunResult {
  events: TaskEvent[];
  sessions: LocalSession[];
}

export async function runLocal(rel: string | Playbook, opts: { check: boolean; extraVars?: Record<string, unknown>; tags?: string[]; skipTags?: string[]; hosts?: Array<{ name: string; groups: string[]; vars?: Record<string, unknown> }>; quarantineDir?: string; seed?: ReadonlyMap<string, HostSeed>; events?: RunEvents[] }): Promise<LocalRun> {
  await loadModules();
  const pb = typeof rel === 'string' ? await parseFixture(rel) : rel;
  const hosts = opts.hosts ?? [{ name: 'h1', groups: ['all', 'web'] }];
  const sessions: LocalSession[] = [];
  const events: TaskEvent[] = [];
  const fleet: RunFleet = async <T,>(targets: Parameters<RunFleet>[0], fn: (s: Session) => Promise<{ status: HostResult['status']; value?: T; reason?: string }>) => {
    const out: HostResult<T>[] = [];
    for (const t of targets) {
      const s = new LocalSession(t);
      sessions.push(s);
      const r = await fn(s);
      out.push({ host: t.name, status: r.status, startedAt: '', durationMs: 0, ...(r.value !== undefined ? { value: r.value } : {}), ...(r.reason ? { reason: r.reason } : {}) });
    }
    return out;
  };
  const r = await runPlaybook(pb, {
    check: opts.check,
    extraVars: opts.extraVars ?? {},
    ...(opts.tags ? { tags: opts.tags } : {}),
    ...(opts.skipTags ? { skipTags: opts.skipTags } : {}),
    runId: 'test',
    // the undo records and quarantined files of these local "hosts" stay in a scratch directory
    quarantineDir: opts.quarantineDir ?? path.join(mkdtempSync(path.join(tmpdir(), 'ms-q-')), 'q'),
    getModule,
    readLocal: localReader(pb.dir),
    targetsFor: async () => ({ targets: hosts.map((h) => localTarget(h.name, h.groups, h.vars)), problems: [] }),
    runFleet: fleet,
    fleet: { forks: 1 },
    onTask: (e) => events.push(e),
    ...(opts.seed ? { seed: opts.seed } : {}),
    ...(opts.events ? { events: opts.events } : {}),
  });
  return { ...r, events, sessions };
}
