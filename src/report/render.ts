import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { templatesDir } from '../core/paths.js';
import { familyBars } from './charts/family-bars.js';
import { fleetBar, groupBars } from './charts/state-bars.js';
import { timelineChart } from './charts/timeline-chart.js';
import { filterCss } from './filter-css.js';
import { COMPILE_OPTIONS, loadPrecompiled, templateSources, type Precompiled } from './precompiled.js';
import { HELPERS, stateWord } from './helpers.js';
import { FINDING_STATES, UNCHECKED_STATES } from './host-state.js';
import { HOST_STATES, type HostSection, type ReportFinding, type ReportModel } from './types.js';
import { findingEvidence } from './evidence-table.js';
import { dataUri, iocsCsv, iocsYaml } from './ioc-export.js';
import { Trusted } from './trusted.js';
import { timelineRows } from './timeline-rows.js';

// ReportModel → one self-contained HTML file. Handlebars with HTML escaping everywhere; the
// only unescaped output is Trusted markup (charts, stylesheet) built in this directory. The
// Content-Security-Policy forbids every fetch: the stylesheet is allowed by its hash.

const TIMELINE_ROWS = 300;
const IOC_ROWS = 500;
export const SIZE_TOKEN = '\u0000SIZE\u0000';

let compiled: Handlebars.TemplateDelegate | null = null;
let baseCss: string | null = null;

/** The report template with its helpers and partials: precompiled at build time when current. */
export function reportTemplate(dir = path.join(templatesDir, 'report'), precompiled?: Precompiled | null): Handlebars.TemplateDelegate {
  const hb = Handlebars.create();
  for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, fn);
  const sources = templateSources(dir);
  const pre = precompiled === undefined ? loadPrecompiled(sources) : precompiled;
  for (const [name, src] of Object.entries(sources.partials)) hb.registerPartial(name, pre?.partials[name] ? hb.template(pre.partials[name]) : src);
  return pre ? hb.template(pre.main) : hb.compile(sources.main, COMPILE_OPTIONS);
}

const template = (): Handlebars.TemplateDelegate => (compiled ??= reportTemplate());
const stylesheet = (): string => (baseCss ??= readFileSync(path.join(templatesDir, 'report', 'style.css'), 'utf8'));

/** The CSP of the report: nothing may be fetched; the one <style> is allowed by hash. */
export function contentSecurityPolicy(css: string): string {
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`;
}

function indexOf(values: string[]): Map<string, number> {
  return new Map(values.map((v, i) => [v, i]));
}

/**
 * A host's findings, open then done (the verification's and the recheck's too), with their evidence
 * from the host's table: each piece in full where it is first shown, labelled with its id, then "same as En".
 */
export function hostFindings(h: HostSection) {
  const shown = new Set<string>();
  const view = (fs: readonly ReportFinding[]) =>
    fs.map((f) => ({
      ...f,
      evidence: findingEvidence(h, f).map((e) => {
        if (shown.has(e.id)) return { ...e, ref: e.id };
        shown.add(e.id);
        return { ...e, label: e.id };
      }),
    }));
  // the order the card shows them in, so a "same as En" points back up the page
  const open = view(h.findings.filter((f) => f.status === 'open'));
  const done = view(h.findings.filter((f) => f.status !== 'open'));
  return { open, done, verification: view(h.verification?.findings ?? []), recheck: view(h.recheck?.findings ?? []) };
}

/** The host list with its CSS-only filters: classes and radios from indexes, never host text. */
function hostsView(m: ReportModel) {
  const groups = [...new Set(m.hosts.flatMap((h) => h.groups))].sort();
  const families = m.summary.families.map((f) => f.id);
  const gi = indexOf(groups);
  const fi = indexOf(families);
  // anchors from the host's position, never from its (host-chosen) name
  const anchor = new Map(m.hosts.map((h, i) => [h, `host-${i}`]));
  const row = (h: HostSection) => ({
    h,
    card: FINDING_STATES.has(h.state),
    anchor: anchor.get(h)!,
    ...hostFindings(h),
    cls: ['host', `s-${HOST_STATES.indexOf(h.state)}`, ...h.groups.map((g) => `g-${gi.get(g)}`), ...h.families.filter((f) => fi.has(f)).map((f) => `f-${fi.get(f)}`)].join(' '),
  });
  const count = (pred: (h: HostSection) => boolean) => m.hosts.filter(pred).length;
  const option = (prefix: string, i: number | 'all', label: string, n: number) => ({ id: `${prefix}-${i}`, label, count: n, checked: i === 'all' });
  const all = (prefix: string) => option(prefix, 'all', 'all', m.hosts.length);
  return {
    filters: {
      states: [all('fs'), ...HOST_STATES.map((s, i) => option('fs', i, stateWord(s), count((h) => h.state === s))).filter((o) => o.count > 0)],
      groups: [all('fg'), ...groups.map((g, i) => option('fg', i, g, count((h) => h.groups.includes(g))))],
      families: [all('ff'), ...families.map((f, i) => option('ff', i, f, count((h) => h.families.includes(f))))],
      showGroups: groups.length > 1,
      showFamilies: families.length > 0,
    },
    filterRules: filterCss([
      { prefix: 'fs', cls: 's', count: HOST_STATES.length },
      { prefix: 'fg', cls: 'g', count: groups.length },
      { prefix: 'ff', cls: 'f', count: families.length },
    ]),
    index: m.hosts.map(row),
    cards: m.hosts.filter((h) => FINDING_STATES.has(h.state)).map(row),
    unchecked: m.hosts.filter((h) => UNCHECKED_STATES.has(h.state)).map(row),
    clean: m.hosts.filter((h) => h.state === 'clean').map(row),
  };
}

const STATUSES = ['changed', 'ok', 'failed', 'skipped', 'unreachable'] as const;
const AREAS = { firewall: 'Firewall (iptables)', redis: 'Redis', ssh: 'SSH keys and login' } as const;

/** Hardening: counts per area and status, and the per-host rows, failures first. */
function hardeningView(m: ReportModel) {
  const failedFirst = (s: string) => (s === 'failed' ? 0 : 1);
  const rows = [...m.hardening.applied].sort((a, b) => failedFirst(a.status) - failedFirst(b.status) || a.host.localeCompare(b.host, 'en', { numeric: true }));
  return {
    rows,
    open: rows.length <= 30,
    statuses: STATUSES,
    areas: (Object.keys(AREAS) as Array<keyof typeof AREAS>)
      .map((a) => ({ label: AREAS[a], counts: STATUSES.map((s) => m.hardening.applied.filter((r) => r.area === a && r.status === s).length) }))
      .filter((a) => a.counts.some((c) => c > 0)),
  };
}

/** Render the report; the file's own size is filled in after rendering. */
export function renderHtml(m: ReportModel, templateOverride?: Handlebars.TemplateDelegate): string {
  const tpl = templateOverride ?? template();
  const sweepOnly = m.hosts.every((h) => h.verification === null && h.actions.length === 0);
  const hosts = hostsView(m);
  const { filterRules, ...hostLists } = hosts;
  const css = `${stylesheet()}\n${filterRules}`;
  const timeline = timelineRows(m.timeline);
  const runId = m.run.id.replace(/[^\w.-]/g, '_');
  const view = {
    m,
    css: Trusted.fromBuilder(css),
    csp: Trusted.fromBuilder(contentSecurityPolicy(css)),
    charts: { fleet: fleetBar(m.summary), groups: groupBars(m.byGroup), families: familyBars(m.summary.families), timeline: timelineChart(m) },
    timeline: { rows: timeline.slice(0, TIMELINE_ROWS), more: Math.max(0, timeline.length - TIMELINE_ROWS), count: timeline.length, open: timeline.length <= 40 },
    legend: HOST_STATES.filter((st) => m.summary.verdicts[st] > 0).map((st) => ({ state: st, word: stateWord(st), count: m.summary.verdicts[st] })),
    ...hostLists,
    iocs: { rows: m.iocs.slice(0, IOC_ROWS), more: Math.max(0, m.iocs.length - IOC_ROWS) },
    downloads: {
      csv: dataUri('text/csv', iocsCsv(m.iocs)),
      csvName: `iocs-${runId}.csv`,
      yaml: dataUri('application/yaml', iocsYaml(m.iocs, m.run.id)),
      yamlName: `iocs-${runId}.yml`,
    },
    hardening: hardeningView(m),
    quarantined: m.hosts.reduce((n, h) => n + h.quarantine.length, 0),
    argv: m.run.argv,
    sweepOnly,
    sizeToken: SIZE_TOKEN,
  };
  return fillSize(tpl(view));
}

/** Replace the size placeholder with the file's size (to the KiB; the digits change it by bytes). */
function fillSize(html: string): string {
  const bytes = Buffer.byteLength(html, 'utf8');
  const text = bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
  return html.split(SIZE_TOKEN).join(text);
}
