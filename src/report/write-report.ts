import { readFileSync, readdirSync, statSync } from 'node:fs';
import { writePrivate } from '../run/private-files.js';
import { isSecretName } from '../core/mask.js';
import path from 'node:path';
import { reportJson } from './json.js';
import { buildReportModel, type ModelOptions } from './model.js';
import { renderHtml } from './render.js';
import type { ReportModel } from './types.js';
import type { RunRecord } from '../run/types.js';
import { validateRunRecord } from './validate-run.js';

// The I/O edge of the report: read runs/<id>/run.json, write report.html and report.json.

export interface WriteReportOptions {
  /** which files to write (default both) */
  formats?: Array<'html' | 'json'>;
  /** write the html here instead of <runDir>/report.html */
  htmlPath?: string;
  /** write the json here instead of <runDir>/report.json */
  jsonPath?: string;
  now?: Date;
  /** the run's record when the caller holds it, instead of reading run.json back */
  record?: RunRecord;
}

export interface WrittenReport {
  html?: string;
  json?: string;
  model: ReportModel;
  /** bytes written, per format */
  bytes: { html?: number; json?: number };
}

/**
 * Exact secret values stored in the run directory (e.g. the generated Redis passwords kept in a
 * 0600 file) so they can be masked anywhere they might have leaked. Small owner-only (0600) files
 * whose name (without extension) or directory name is a secret name (core/mask.ts), at the top level or one directory down; one per line or `key=value`.
 */
export function runDirSecrets(runDir: string): string[] {
  const out = new Set<string>();
  const visit = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const p = path.join(dir, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory() && depth < 1) visit(p, depth + 1);
      else if (st.isFile() && (st.mode & 0o077) === 0 && st.size <= 16_384 && (isSecretName(name.replace(/\.[^.]*$/, '')) || isSecretName(path.basename(dir)))) {
        for (const line of readFileSync(p, 'utf8').split('\n')) {
          const v = line.includes('=') || line.includes(':') ? line.replace(/^[^=:]*[=:]\s*/, '') : line;
          const t = v.trim().replace(/^["']|["']$/g, '');
          if (t.length >= 6) out.add(t);
        }
      }
    }
  };
  visit(runDir, 0);
  return [...out];
}

/** Read <runDir>/run.json and validate it; errors name the file. */
export function readRunRecord(runDir: string) {
  const file = path.join(runDir, 'run.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read the run record (${(e as NodeJS.ErrnoException).code ?? String(e)}). Expected a run directory written by sweep, remediate or harden, e.g. runs/20261123T080000Z-ab12.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message}). The run record may be truncated; re-run the command that wrote it.`);
  }
  return validateRunRecord(parsed, file);
}

/** Render the run in `runDir` into report.html and report.json (by default next to run.json). */
export function writeReport(runDir: string, opts: WriteReportOptions = {}): WrittenReport {
  const record = opts.record ?? readRunRecord(runDir);
  const modelOpts: ModelOptions = { secrets: runDirSecrets(runDir), ...(opts.now ? { now: opts.now } : {}) };
  const model = buildReportModel(record, modelOpts);
  const formats = opts.formats ?? ['html', 'json'];
  const out: WrittenReport = { model, bytes: {} };
  const targets = {
    json: { path: opts.jsonPath ?? path.join(runDir, 'report.json'), render: () => reportJson(model) },
    html: { path: opts.htmlPath ?? path.join(runDir, 'report.html'), render: () => renderHtml(model) },
  };
  for (const format of formats) {
    const { path: p, render } = targets[format];
    const body = render();
    writePrivate(p, body);
    out[format] = p;
    out.bytes[format] = Buffer.byteLength(body);
  }
  return out;
}
