import { escapeForTerminal } from '../core/terminal.js';
import type { Counts, TaskEvent } from './executor.js';
import type { RunEvents } from './events.js';

// What `minesweep run` prints: one line per task and host as it finishes (hosts run in
// parallel), the planned steps and their diffs in check mode, and Ansible's recap.
// Host text is escaped (control characters shown, never interpreted).

const esc = (s: string) => escapeForTerminal(s);
const escLines = (s: string) => escapeForTerminal(s, { keepNewlines: true });

function indent(text: string, prefix: string): string {
  return text.replace(/\n$/, '').split('\n').map((l) => prefix + l).join('\n') + '\n';
}

export function playHeader(name: string, check: boolean): string {
  const title = `PLAY [${esc(name)}]${check ? ' (check mode: nothing is changed; --apply to run)' : ''} `;
  return `\n${title}${'*'.repeat(Math.max(3, 72 - title.length))}\n`;
}

/** The lines for one finished task on one host. */
export function taskText(e: TaskEvent, opts: { verbose?: boolean; showCommands?: boolean } = {}): string {
  const r = e.record;
  const label = e.ignored ? 'failed (ignored)' : e.check && r.status === 'changed' ? 'would change' : r.status;
  let out = `${label}: [${esc(e.host)}] ${esc(r.task)}`;
  if (r.status === 'skipped' || r.status === 'ok') out += e.message ? ` — ${esc(e.message)}` : '';
  out += '\n';
  if (r.status === 'failed' || r.status === 'unreachable') out += indent(escLines(e.message ?? r.status), '    ');
  if (e.check || opts.verbose) {
    for (const s of r.steps) {
      out += `    - ${esc(s.description)}\n`;
      if (opts.showCommands && s.command) out += `      $ ${esc(s.command)}\n`;
      if (s.diff) out += indent(escLines(s.diff), '      ');
    }
  } else if (r.status === 'failed') {
    const s = r.steps.at(-1);
    if (s?.command) out += `    command: ${esc(s.command.length > 300 ? s.command.slice(0, 300) + '…' : s.command)}\n`;
  }
  return out;
}

/** Ansible's PLAY RECAP, one line per host. */
export function recapText(counts: Map<string, Counts>): string {
  const names = [...counts.keys()];
  const w = Math.max(0, ...names.map((n) => esc(n).length));
  let out = `\nPLAY RECAP ${'*'.repeat(61)}\n`;
  for (const n of names) {
    const c = counts.get(n)!;
    out += `${esc(n).padEnd(w)} : ok=${c.ok} changed=${c.changed} failed=${c.failed} skipped=${c.skipped} unreachable=${c.unreachable} ignored=${c.ignored}\n`;
  }
  return out;
}

/** The console as a subscriber: play headers and task lines as they happen, the recap at the end. */
export function consolePrinter(write: (s: string) => void, opts: { check: boolean; verbose?: boolean; showCommands?: boolean }): RunEvents {
  return {
    playStart: (name, n) => write(playHeader(name, opts.check) + (n ? '' : 'skipping: no hosts matched\n')),
    taskEnd: (e) => write(taskText(e, opts)),
    runEnd: (e) => write(recapText(e.counts)),
  };
}
