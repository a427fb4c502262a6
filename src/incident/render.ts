import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { templatesDir } from '../core/paths.js';
import { HELPERS } from '../report/helpers.js';
import { contentSecurityPolicy } from '../report/render.js';
import { Trusted } from '../report/trusted.js';
import type { IncidentModel } from './types.js';

// IncidentModel → one self-contained HTML file: the report's stylesheet and helpers (host text
// escaped everywhere), the incident's own template, a CSP that forbids every fetch.

let compiled: Handlebars.TemplateDelegate | null = null;

function template(): Handlebars.TemplateDelegate {
  if (compiled) return compiled;
  const hb = Handlebars.create();
  for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, fn);
  const dir = path.join(templatesDir, 'incident');
  hb.registerPartial('incident-findings', readFileSync(path.join(dir, 'incident-findings.hbs'), 'utf8'));
  return (compiled = hb.compile(readFileSync(path.join(dir, 'incident.hbs'), 'utf8'), { strict: false }));
}

export function renderIncidentHtml(m: IncidentModel): string {
  const css = `${readFileSync(path.join(templatesDir, 'report', 'style.css'), 'utf8')}\n${readFileSync(path.join(templatesDir, 'incident', 'incident.css'), 'utf8')}`;
  const open = m.findings.filter((f) => f.status !== 'done');
  return template()({
    m,
    css: Trusted.fromBuilder(css),
    csp: Trusted.fromBuilder(contentSecurityPolicy(css)),
    open,
    done: m.findings.filter((f) => f.status === 'done'),
    openFindings: open.length,
  });
}
