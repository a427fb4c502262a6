import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../../src/report/model.js';
import { renderHtml } from '../../../src/report/render.js';
import { writeReport } from '../../../src/report/write-report.js';
import { validateRunRecord } from '../../../src/report/validate-run.js';
import { templatesDir } from '../../../src/core/paths.js';
import { hostileRun, SECRET } from '../../fixtures/runs/hostile-run.js';
import { syntheticFleet } from '../../fixtures/runs/synthetic-fleet.js';
import { writeRunDir } from '../../fixtures/runs/run-dir.js';

const html = renderHtml(buildReportModel(hostileRun()));

describe('renderHtml', () => {
  it('escapes every hostile string: no tag or handler from a host survives', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img /i);
    expect(html).not.toMatch(/<svg onload/i);
    expect(html).not.toMatch(/\sonerror=/i);
    expect(html).not.toContain('\u001b');
    expect(html).toContain('&lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;');
    expect(html).toContain('\\e[31m--pool\\e[0m');
    expect(html).toContain('\\xff');
  });

  it('shows a newline inside a file name as \\n, never as a line break', () => {
    expect(html).toContain('&lt;/script&gt;\\n&quot;quoted&quot;');
  });

  it('forbids every network request with its CSP, and allows its one stylesheet by hash', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'$/);
    expect(html).not.toMatch(/<(script|link|iframe|object|embed|img)\b/i);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/\sstyle="/); // inline style attributes would need 'unsafe-inline'
  });

  it('never shows a secret', () => {
    expect(html.includes(SECRET)).toBe(false);
    const dl = [...html.matchAll(/href="data:[^;]+;charset=utf-8;base64,([^"]+)"/g)].map((x) => Buffer.from(x[1]!, 'base64').toString('utf8'));
    expect(dl).toHaveLength(2);
    for (const body of dl) expect(body.includes(SECRET)).toBe(false);
  });

  it('offers the IOCs as CSV and as an --ioc file', () => {
    const [csv, yaml] = [...html.matchAll(/href="data:[^;]+;charset=utf-8;base64,([^"]+)"/g)].map((x) => Buffer.from(x[1]!, 'base64').toString('utf8'));
    expect(csv!.split('\r\n')[0]).toBe('type,value,family,source,hosts');
    expect(csv).toContain('ip,203.0.113.7,ddg,ddg-app02,ddg-app02');
    expect(yaml).toContain('iocs:\n  - type: ip\n    value: 203.0.113.7');
  });

  it('templates never use triple-stash or raw blocks', () => {
    const dir = path.join(templatesDir, 'report');
    const files = [path.join(dir, 'report.hbs'), ...readdirSync(path.join(dir, 'partials')).map((f) => path.join(dir, 'partials', f))];
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/\{\{\{|\{\{&/);
  });

  it('shows actions in plain words, with the diff of the file they change', () => {
    expect(html).toContain('Remove persistence (cron, services, start-up files)');
    expect(html).toMatch(/<summary>what changes in the file<\/summary><pre class="mono">--- \/var\/spool\/cron\/root\n/);
  });

  it('sums up what was changed and how to roll back', () => {
    expect(html).toContain('<section id="changes">');
    expect(html).toContain('2 files moved to quarantine can be put back with <code>minesweep rollback runs/20261123T080000Z-hostile --apply</code>');
  });

  it('says when a finding came from the fleet pivot', () => {
    expect(html).toContain('Found through the fleet pivot: domain <code>evil.example</code> also seen on hostile-app03.');
  });

  it('renders the summary before anything else', () => {
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="timeline"'));
    expect(html).toContain('data-figure="stillInfected">1<');
  });
});

describe('repeated evidence in a host card', () => {
  it('is shown once, labelled with its report.json id; a later "same evidence as En" points up the card', () => {
    const file = path.join('test/fixtures/runs/lab-remediate-12/run.json');
    const m = buildReportModel(validateRunRecord(JSON.parse(readFileSync(file, 'utf8')), file));
    const cards = renderHtml(m).split('<details class="host ').slice(1);
    let refs = 0;
    for (const card of cards) {
      const labels = [...card.matchAll(/<span class="k">(E\d+)<\/span>/g)].map((x) => ({ id: x[1]!, at: x.index }));
      expect(new Set(labels.map((l) => l.id)).size).toBe(labels.length);
      for (const r of card.matchAll(/same evidence as (E\d+)/g)) {
        refs++;
        expect(labels.find((l) => l.id === r[1])!.at).toBeLessThan(r.index);
      }
    }
    expect(refs).toBe(171 - 123);
  });
});

describe('writeReport', () => {
  it('writes report.html and report.json next to run.json, masking secrets stored in the run dir', () => {
    const run = hostileRun();
    run.hosts[1]!.tasks[0]!.message = 'pass 0n1yInTh3SecretFile';
    const dir = writeRunDir(run);
    // where harden keeps generated Redis passwords: runs/<id>/secrets/redis-<host>-<port>.txt, 0600
    mkdirSync(path.join(dir, 'secrets'), { mode: 0o700 });
    writeFileSync(path.join(dir, 'secrets', 'redis-redis-web01-6380.txt'), '0n1yInTh3SecretFile\n', { mode: 0o600 });
    const out = writeReport(dir);
    for (const f of [out.html!, out.json!]) {
      const body = readFileSync(f, 'utf8');
      expect(body.includes('0n1yInTh3SecretFile')).toBe(false);
      expect(body.includes(SECRET)).toBe(false);
    }
    expect(JSON.parse(readFileSync(out.json!, 'utf8')).schema).toBe('minesweep.report/3');
  });

  it('renders 1,000 hosts within 3 MiB (render time recorded in test-artifacts, not asserted)', () => {
    const dir = writeRunDir(syntheticFleet(1000));
    const t = performance.now();
    const out = writeReport(dir);
    const ms = performance.now() - t;
    const kib = Math.round(out.bytes.html! / 1024);
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync('test-artifacts/report-1000-hosts.txt', `1000 hosts: ${Math.round(ms)} ms, html ${kib} KiB, json ${Math.round(out.bytes.json! / 1024)} KiB\n`);
    expect(kib).toBeLessThan(3 * 1024);
  });
});

describe('edge cases', () => {
  it('renders an empty run and a run without times', () => {
    const empty = { ...hostileRun(), hosts: [], iocs: [] };
    const m = buildReportModel(empty);
    expect(m.summary.headline).toBe('No crypto-mining malware was found on the 0 servers checked.');
    expect(renderHtml(m)).toContain('data-figure="hostsSwept">0<');
    const timeless = { ...hostileRun(), startedAt: '', finishedAt: 'garbage' };
    const html = renderHtml(buildReportModel(timeless));
    expect(html).toContain('unknown time');
    expect(html).not.toContain('NaN');
  });
});
