import path from 'node:path';
import { readIncidentRuns } from '../run/incident-dir.js';
import { writePrivate } from '../run/private-files.js';
import type { RunRecord } from '../run/types.js';
import { readRunRecord, runDirSecrets } from '../report/write-report.js';
import { buildIncidentModel } from './model.js';
import { renderIncidentHtml } from './render.js';
import type { IncidentModel } from './types.js';

// The I/O edge of the incident report: read incident.json and each run's run.json, write
// report.html and report.json into the incident directory.

export interface WrittenIncident {
  html: string;
  json: string;
  model: IncidentModel;
  /** runs listed but unreadable (moved, deleted): left out, each with why */
  skipped: string[];
}

export function writeIncidentReport(dir: string, opts: { now?: Date } = {}): WrittenIncident {
  const list = readIncidentRuns(dir);
  const records: RunRecord[] = [];
  const secrets = new Set<string>();
  const skipped: string[] = [];
  for (const r of list.runs) {
    try {
      records.push(readRunRecord(r.dir));
      for (const s of runDirSecrets(r.dir)) secrets.add(s);
    } catch (e) {
      skipped.push(`${r.id}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const model = buildIncidentModel(list.name, records, { secrets: [...secrets], ...(opts.now ? { now: opts.now } : {}) });
  const json = path.join(dir, 'report.json');
  const html = path.join(dir, 'report.html');
  writePrivate(json, JSON.stringify(model, null, 2) + '\n');
  writePrivate(html, renderIncidentHtml(model));
  return { html, json, model, skipped };
}
