import type { GatherRequest, ModuleContext } from '../../playbook/module-types.js';
import { quote } from '../../core/quote.js';

// `creates` / `removes` / `chdir` for shell and command (Ansible semantics): the command is
// skipped when `creates` exists or `removes` does not — so a run can be idempotent.

export const RUN_GUARD_OPTIONS = {
  chdir: { type: 'string', description: 'change into this directory first' },
  creates: { type: 'string', description: 'skip the command when this path exists' },
  removes: { type: 'string', description: 'skip the command when this path does not exist' },
  stdin: { type: 'string', description: 'text fed to the command on stdin' },
} as const;

export function guardGather(args: Record<string, unknown>): GatherRequest {
  const stat = [args['creates'], args['removes']].filter((p): p is string => typeof p === 'string' && p !== '');
  return stat.length ? { stat } : {};
}

/** The reason to skip, or undefined to run. */
export function guardReason(args: Record<string, unknown>, ctx: ModuleContext): string | undefined {
  const c = args['creates'];
  if (typeof c === 'string' && c && ctx.gathered.files[c]?.exists) return `${c} exists (creates)`;
  const r = args['removes'];
  if (typeof r === 'string' && r && !ctx.gathered.files[r]?.exists) return `${r} does not exist (removes)`;
  return undefined;
}

export const withChdir = (args: Record<string, unknown>, cmd: string): string =>
  typeof args['chdir'] === 'string' && args['chdir'] ? `cd ${quote(args['chdir'])} && ${cmd}` : cmd;
