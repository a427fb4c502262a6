import type { Command } from 'commander';
import { decodeLossless } from '../core/bytes.js';
import type { HostResult } from '../core/result.js';
import type { ExecResult } from '../transport/types.js';
import { action, addFleetOptions, exitCodeFor, loadTargets, readFleetOptions, UsageError, writeFailedHosts } from './common.js';
import { resultStream } from './jsonl.js';
import { resultLine, type HostLine } from '../report/jsonl.js';
import { runOnFleet } from './run-on-fleet.js';
import { indent, remoteText, statusLine, summary } from './host-output.js';
import { escapeForTerminal } from '../core/terminal.js';
import { SUMMARIES } from './summaries.js';

// `minesweep exec -i INV [--limit P] [--become] 'command'`: ad hoc command, output grouped
// per host. A host is ok when the command exits 0, failed otherwise (exit status, timeout,
// or no exit status at all).

export function register(program: Command): void {
  const cmd = program
    .command('exec')
    .description(SUMMARIES.exec.description)
    .argument('<command>', 'shell command run by sh on each host');
  addFleetOptions(cmd).action(
    action(async (command: string, raw: Record<string, unknown>) => {
      const o = readFleetOptions(raw);
      if (!command.trim()) throw new UsageError('empty command. Fix: minesweep exec -i INV \'uptime\'');
      const stream = resultStream(o.json, 'exec');
      if (o.check) {
        // check mode runs nothing: an ad hoc command has no dry run
        const { targets, problems } = await loadTargets(o);
        const skipped: HostResult[] = targets.map((t) => ({ host: t.name, status: 'skipped', reason: 'check mode: not run', startedAt: new Date().toISOString(), durationMs: 0 }));
        for (const r of [...skipped, ...problems]) {
          if (o.json) stream.line(resultLine(r, 'action'));
          else if (r.status === 'skipped') process.stdout.write(`${escapeForTerminal(r.host)} | SKIPPED | check mode: would run ${escapeForTerminal(JSON.stringify(command))}\n`);
          else process.stdout.write(statusLine(r, '') + '\n');
        }
        const code = exitCodeFor(problems);
        stream.end([...skipped, ...problems], code);
        return code;
      }
      const { results } = await runOnFleet<ExecResult>(o, 'exec', async (s) => {
        const r = await s.exec(command, { become: o.become || s.target.become });
        return { status: r.code === 0 ? 'ok' : 'failed', value: r, ...(r.code === 0 ? {} : { reason: failure(r, o.timeoutMs) }) };
      }, 'all', { result: (r) => stream.line(execLine(r)), warn: (m) => stream.warn(m) });
      if (!o.json) for (const r of results) print(r);
      const file = writeFailedHosts(results);
      if (!o.json) {
        process.stdout.write(summary(results) + '\n');
        if (file) process.stderr.write(`retry the failed hosts with --limit @${file}\n`);
      }
      const code = exitCodeFor(results);
      stream.end(results, code);
      return code;
    }),
  );
}

function failure(r: ExecResult, timeoutMs?: number): string {
  if (r.timedOut) return `timed out after ${Math.round((timeoutMs ?? r.durationMs) / 1000)}s: the command was killed on the host`;
  const tail = decodeLossless(r.stderr).trim().split('\n').pop() ?? '';
  const minesweepLine = decodeLossless(r.stderr).split('\n').find((l) => l.startsWith('minesweep: '));
  if (minesweepLine) return minesweepLine.slice('minesweep: '.length);
  if (r.code === null) return `no exit status from the host${r.signal ? ` (signal ${r.signal})` : ''}`;
  return `exit status ${r.code}${tail ? `: ${tail}` : ''}`;
}

function print(r: HostResult<ExecResult>): void {
  const v = r.value;
  process.stdout.write(statusLine(r, v ? `rc=${v.code ?? 'none'}` : '') + '\n');
  if (v?.stdout.length) process.stdout.write(indent(remoteText(v.stdout)) + '\n');
  // the transport's own note (e.g. a sudo failure) is already the reason line
  const stderr = v ? Buffer.from(v.stderr.toString('latin1').replace(/^minesweep: .*\n?/gm, ''), 'latin1') : undefined;
  if (stderr?.length) process.stdout.write(indent(remoteText(stderr), '  stderr: ') + '\n');
}

/** A host's line: status, reason and the command's result (remote bytes decoded; JSON escapes control characters). */
export function execLine(r: HostResult<ExecResult>): HostLine {
  const v = r.value;
  return resultLine(r, 'action', v ? { output: { rc: v.code, stdout: decodeLossless(v.stdout), stderr: decodeLossless(v.stderr), timedOut: v.timedOut } } : {});
}
