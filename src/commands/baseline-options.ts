import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { MASK, maskedUrl } from '../core/mask.js';
import { escapeForTerminal } from '../core/terminal.js';
import { writeRunJson, writeRunRecord, writeSummary } from '../run/run-dir.js';
import { baselineSummary, compareRuns } from '../sweep/baseline.js';
import { resolveBaseline, type BaselineRun } from '../sweep/baseline-run.js';
import { baselineText } from '../sweep/baseline-text.js';
import { baselineExitCode } from '../sweep/exit-code.js';
import { notifyPayload, parseNotifyUrl, sendNotification } from '../sweep/notify.js';
import type { SweepResult } from '../sweep/sweep-fleet.js';
import { UsageError } from './common.js';
import { emit } from './jsonl.js';
import { JSONL_VERSION } from '../report/jsonl.js';

// Scheduled sweeps: `sweep --baseline RUN|latest [--notify URL|@FILE [--notify-always]]`.
// The baseline is resolved before the sweep starts (a bad one is a usage error, exit 2); after
// it, the comparison goes to baseline.json and run.json, the console, and the notification.

export interface ScheduledOptions {
  baseline?: BaselineRun;
  notify?: URL;
  notifyAlways: boolean;
}

export function addBaselineOptions(cmd: Command): Command {
  return cmd
    .option('--baseline <run>', 'compare with an earlier run (its directory, or `latest`: the newest finished sweep in --out); exit 1 only on new findings')
    .option('--notify <url>', 'POST a JSON summary of the new findings (all findings without --baseline) to this http(s) URL; @FILE reads the URL from FILE; user:password@ becomes Basic auth')
    .option('--notify-always', 'with --notify: POST also when nothing is new (a heartbeat)');
}

/** The URL of --notify: given, or read from @FILE (first line); the file should be private (0600). */
function notifyUrl(value: string, warn: (m: string) => void): URL {
  let text = value;
  if (value.startsWith('@')) {
    const file = value.slice(1);
    try {
      text = readFileSync(file, 'utf8').split('\n')[0]!.trim();
      if ((statSync(file).mode & 0o077) !== 0) warn(`--notify ${file} can be read by other users (chmod 600 it)`);
    } catch (e) {
      throw new UsageError(`--notify ${value}: cannot read the URL file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  const url = parseNotifyUrl(text);
  // the value itself is never echoed: it may hold credentials
  if (typeof url === 'string') throw new UsageError(`--notify: ${url}. Fix: give an http:// or https:// URL (or @FILE holding one)`);
  return url;
}

/** --baseline / --notify / --notify-always, checked (UsageError) and resolved against the runs root. */
export function readScheduledOptions(raw: Record<string, unknown>, outRoot: string, warn: (m: string) => void): ScheduledOptions {
  const o: ScheduledOptions = { notifyAlways: raw['notifyAlways'] === true };
  if (typeof raw['notify'] === 'string') o.notify = notifyUrl(raw['notify'], warn);
  else if (o.notifyAlways) throw new UsageError('--notify-always needs --notify URL');
  if (typeof raw['baseline'] === 'string') o.baseline = resolveBaseline(raw['baseline'], outRoot);
  return o;
}

/** argv for the record: the value of --notify masked (a URL's credentials never reach run.json). */
export function maskScheduledArgv(argv: readonly string[]): string[] {
  const show = (v: string): string => {
    if (v.startsWith('@')) return v;
    const url = parseNotifyUrl(v);
    return typeof url === 'string' ? MASK : maskedUrl(url);
  };
  return argv.map((a, i) => (a.startsWith('--notify=') ? `--notify=${show(a.slice('--notify='.length))}` : argv[i - 1] === '--notify' ? show(a) : a));
}

/**
 * After the sweep: compare with the baseline, notify, record both in the run directory, print.
 * Returns the exit code with --baseline (new findings only), else undefined (sweep's own).
 */
export async function afterSweep(r: SweepResult, o: ScheduledOptions, out: { json: boolean; warn: (m: string) => void }): Promise<number | undefined> {
  if (!o.baseline && !o.notify) return undefined;
  const diff = o.baseline ? compareRuns(r.record, o.baseline.record, o.baseline.dir) : undefined;
  if (diff) r.record.baseline = baselineSummary(diff);
  if (o.notify) {
    const payload = notifyPayload(r.record, diff);
    const due = payload.findings.length > 0 || payload.unreachable.length > 0 || o.notifyAlways;
    r.record.notify = due
      ? await sendNotification(o.notify, payload)
      : { url: maskedUrl(o.notify), sent: false, attempts: 0, findings: 0, error: 'nothing new: not sent (--notify-always sends anyway)', at: new Date().toISOString() };
    if (due && !r.record.notify.sent) out.warn(`warning: --notify: not delivered to ${escapeForTerminal(r.record.notify.url)} after ${r.record.notify.attempts} attempt(s): ${escapeForTerminal(r.record.notify.error ?? '')} (recorded in run.json)`);
  }
  let file: string | undefined;
  if (r.runDir) {
    if (diff) file = writeRunJson(r.runDir, 'baseline.json', diff);
    writeRunRecord(r.runDir, r.record);
  }
  const text = diff ? baselineText(diff, file) : '';
  if (r.runDir && text) writeSummary(r.runDir, r.summary + text);
  if (out.json) emit({ type: 'baseline', v: JSONL_VERSION, ...(r.record.baseline ? { baseline: r.record.baseline } : {}), ...(r.record.notify ? { notify: r.record.notify } : {}), ...(file ? { file } : {}) });
  else process.stdout.write(text);
  return diff ? baselineExitCode(r.record, diff.new.length) : undefined;
}
