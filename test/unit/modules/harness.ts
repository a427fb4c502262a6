import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { phaseCommand } from '../../../src/engine/run-step.js';
import type { ActionPlan } from '../../../src/actions/types.js';
import { decodeLossless } from '../../../src/core/bytes.js';
import { emptyGathered, gatherScript, isEmptyRequest, parseGather } from '../../../src/playbook/gather.js';
import type { Gathered, ModuleContext } from '../../../src/playbook/module-types.js';
import { getModule, loadModules } from '../../../src/playbook/registry.js';
import { renderString } from '../../../src/playbook/template.js';
import { validateArgs } from '../../../src/playbook/validate-args.js';

// Module tests: plan on a gathered-state fixture (pure), or gather + plan + apply with a
// local `sh` on a temporary directory (real commands, no SSH).

export function ctxWith(gathered: Gathered = emptyGathered(), over: Partial<ModuleContext> = {}): ModuleContext {
  return {
    host: 'h1',
    vars: {},
    findings: [],
    gathered,
    controller: { address: '192.0.2.1', sshPort: 22, keyFingerprints: [] },
    runId: 'test',
    quarantineDir: over.quarantineDir ?? path.join(mkdtempSync(path.join(tmpdir(), 'ms-modq-')), 'q'),
    check: true,
    become: false,
    playbookDir: '/nonexistent',
    readLocal: (p) => {
      throw new Error(`no file ${p}`);
    },
    render: (t) => renderString(t, over.vars ?? {}),
    ...over,
  };
}

export async function mod(name: string) {
  await loadModules();
  const m = getModule(name);
  if (!m) throw new Error(`no module ${name}`);
  return m;
}

/** Validate (as the parser does) then plan on the given gathered state. */
export async function plan(name: string, args: Record<string, unknown>, gathered?: Gathered, over: Partial<ModuleContext> = {}): Promise<ActionPlan> {
  const m = await mod(name);
  validateArgs(m, args, { file: 't', line: 1, column: 1 }, {}, true);
  return m.plan!(args, ctxWith(gathered, over));
}

/** Gather with a local sh, plan, and (unless check) run the steps; returns the plan and step exit codes. */
export async function applyLocal(name: string, args: Record<string, unknown>, over: Partial<ModuleContext> = {}, check = false): Promise<{ plan: ActionPlan; codes: number[]; stderr: string }> {
  const m = await mod(name);
  validateArgs(m, args, { file: 't', line: 1, column: 1 }, {}, true);
  const base = ctxWith(undefined, over);
  const req = m.gather?.(args, base);
  const gathered = req && !isEmptyRequest(req) ? parseGather(req, decodeLossless(execFileSync('sh', ['-c', gatherScript(req)]))) : emptyGathered();
  const p = m.plan!(args, { ...base, gathered });
  const codes: number[] = [];
  let stderr = '';
  if (!check && p.kind === 'steps') {
    let seq = 0;
    for (const s of p.steps) {
      // a step that records its undo runs twice, as the engine runs it
      const n = ++seq;
      const rec = s.journal ? spawnSync('sh', ['-c', phaseCommand(s.command, 'record', n)], { input: s.stdin ?? '' }) : null;
      const r = rec && rec.status !== 0 ? rec : spawnSync('sh', ['-c', s.journal ? phaseCommand(s.command, 'apply', n) : s.command], { input: s.stdin ?? '' });
      codes.push(r.status ?? -1);
      stderr += r.stderr.toString() + r.stdout.toString().split('\n').filter((l) => l.startsWith('MS-FAIL') || l.startsWith('MS-UNRECORDED')).join('\n');
      if (r.status !== 0) break;
    }
  }
  return { plan: p, codes, stderr };
}

export const stepsOf = (p: ActionPlan) => (p.kind === 'steps' ? p.steps : []);
