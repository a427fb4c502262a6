import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { writeReport } from '../../src/report/write-report.js';
import { HOST_STATES } from '../../src/report/types.js';
import { escapeForTerminal } from '../../src/core/terminal.js';
import { hostileRun, HOSTILE_TITLE, HOSTILE_PATH } from '../fixtures/runs/hostile-run.js';
import { syntheticFleet } from '../fixtures/runs/synthetic-fleet.js';
import { writeRunDir } from '../fixtures/runs/run-dir.js';
import { pageFill, pdfPages } from '../helpers/pdf-pages.js';

// The report in Debian's headless Chromium (never a downloaded browser): screenshots, summary
// figures equal report.json's, hostile strings shown as text and never run, no network request,
// CSS-only filters with JavaScript off, IOC downloads, A4 print (the recorded lab remediation in at
// most 15 pages, none but the last under half full).
//
// Which run: MINESWEEP_REPORT_RUN=<run dir> if set; else a sweep of the shared lab when
// test/helpers/lab.ts and the sweep command are there; else the recorded hostile-name fixture.

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function labRunDir(): Promise<string | null> {
  const helper = path.resolve('test/helpers/lab.ts');
  const cli = path.resolve('dist/cli.js');
  if (!existsSync(helper) || !existsSync(cli)) return null;
  try {
    const { getLab } = (await import(/* @vite-ignore */ pathToFileURL(helper).href)) as { getLab?: () => Promise<{ inventoryPath: string }> };
    if (!getLab) return null;
    const lab = await getLab();
    const out = mkdtempSync(path.join(tmpdir(), 'minesweep-report-lab-'));
    spawnSync(process.execPath, [cli, 'sweep', '-i', lab.inventoryPath, '--out', out], { stdio: 'inherit', timeout: 300_000 });
    const dir = readdirSync(out).map((d) => path.join(out, d)).find((d) => existsSync(path.join(d, 'run.json')));
    return dir ?? null;
  } catch (e) {
    process.stderr.write(`06-report: no lab run (${(e as Error).message.split('\n')[0]}); using the recorded hostile-name run\n`);
    return null;
  }
}

async function runUnderTest(): Promise<{ dir: string; fixture: boolean }> {
  if (process.env.MINESWEEP_REPORT_RUN) return { dir: path.resolve(process.env.MINESWEEP_REPORT_RUN), fixture: false };
  const lab = await labRunDir();
  if (lab) return { dir: lab, fixture: false };
  return { dir: writeRunDir(hostileRun(), path.join(ARTIFACTS, 'run-hostile')), fixture: true };
}

describe('the report in headless Chromium', () => {
  let browser: Browser;
  let run: { dir: string; fixture: boolean };
  let htmlPath: string;
  let report: { summary: Record<string, number>; hosts: Array<{ state: string }> };

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} missing: apt-get install -y chromium`).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    run = await runUnderTest();
    const out = writeReport(run.dir);
    htmlPath = out.html!;
    report = JSON.parse(readFileSync(out.json!, 'utf8'));
    // a fresh temporary profile (empty user-data-dir) per launch
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(opts: { javaScriptEnabled?: boolean } = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, ...opts });
    const page = await context.newPage();
    // a loaded CI machine can take far longer than Playwright's 30 s default to paint a full page
    page.setDefaultTimeout(180_000);
    const requests: string[] = [];
    const dialogs: string[] = [];
    const consoleMessages: string[] = [];
    page.on('console', (m) => consoleMessages.push(m.text()));
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    return { page, requests, dialogs, consoleMessages, close: () => context.close() };
  }

  it('shows the summary figures of report.json, runs nothing, fetches nothing', async () => {
    const { page, requests, dialogs, consoleMessages, close } = await open();
    expect(consoleMessages).toEqual([]); // the stylesheet passed the CSP (by hash); nothing was refused
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(245, 247, 250)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-1280x800.png') });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-full.png'), fullPage: true });
    for (const key of ['hostsSwept', 'infected', 'cleaned', 'stillInfected', 'unreachable'])
      expect(await page.locator(`[data-figure="${key}"]`).innerText(), key).toBe(String(report.summary[key]));
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('script, iframe, object, embed, img').count()).toBe(0);
    const handlers = await page.evaluate(() => [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)));
    expect(handlers).toEqual([]);
    expect(requests).toEqual([pathToFileURL(htmlPath).href]);
    // and the CSP really forbids fetching: a fetch from the page is refused before any request
    expect(await page.evaluate(() => fetch('http://127.0.0.1:9/x').then(() => 'fetched', () => 'refused'))).toBe('refused');
    expect(consoleMessages.join('\n')).toMatch(/Content Security Policy/);
    expect(requests).toEqual([pathToFileURL(htmlPath).href]);
    await close();
  });

  it('shows hostile strings as text', async () => {
    const { page, close } = await open();
    const norm = (x: string) => x.replace(/\s+/g, ' ').trim();
    const text = norm(await page.locator('body').innerText());
    // every host string with markup, quotes or control characters in it, as the page must show it
    const hostile = (report as unknown as { hosts: Array<{ evidence: Array<{ text: string; path?: string }>; findings: Array<{ title: string }> }> }).hosts
      .flatMap((h) => [...h.findings.map((f) => f.title), ...h.evidence.flatMap((e) => [e.path ?? '', e.text])])
      .filter((x) => /[<>"'\n\u001b]|onerror/i.test(x))
      .slice(0, 40);
    if (run.fixture) expect(hostile.length).toBeGreaterThan(3);
    // paths and titles show \n as an escape; evidence text keeps its line breaks
    for (const x of hostile) {
      const forms = [norm(escapeForTerminal(x)), norm(escapeForTerminal(x, { keepNewlines: true }))];
      expect(forms.some((f) => text.includes(f)), JSON.stringify(x)).toBe(true);
    }
    if (run.fixture) {
      expect(text).toContain(HOSTILE_TITLE);
      expect(text).toContain(HOSTILE_PATH.replace('\n', '\\n'));
      expect(text).toContain('\\e[31m--pool\\e[0m');
      expect(text).toContain('group<b>"x"</b>');
    }
    await close();
  });

  it('filters by state, group and family with JavaScript off', async () => {
    const { page, close } = await open({ javaScriptEnabled: false });
    const visibleHosts = () => page.locator('.host-list .host:visible').count();
    const all = await visibleHosts();
    const first = report.hosts[0]!.state; // the worst state present (hosts are in state order)
    await page.locator(`label[for="fs-${HOST_STATES.indexOf(first)}"]`).click();
    const still = report.hosts.filter((h) => h.state === first).length;
    expect(await visibleHosts()).toBe(still);
    await page.locator('label[for="fs-all"]').click();
    expect(await visibleHosts()).toBe(all);
    if (run.fixture) {
      await page.locator('label[for="ff-0"]').click(); // first family: ddg
      expect(await page.locator('.host-list .host:visible .name').allInnerTexts()).toEqual(['ddg-app02']);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-filtered-nojs.png') });
    await close();
  });

  it('downloads the IOCs as CSV and as an --ioc file from data: links', async () => {
    const { page, requests, close } = await open();
    for (const [name, head] of [['Download CSV', 'type,value,family,source,hosts'], ['Download as', '# IOCs of minesweep run']] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByText(name).click()]);
      const file = path.join(ARTIFACTS, download.suggestedFilename());
      await download.saveAs(file);
      expect(readFileSync(file, 'utf8').startsWith(head)).toBe(true);
    }
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await close();
  });

  it('prints to A4 with no forced page break (no half-empty pages), done findings on one line each', async () => {
    const { page, close } = await open();
    const pdf = await page.pdf({ path: path.join(ARTIFACTS, 'report.pdf'), format: 'A4', printBackground: true, preferCSSPageSize: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    writeFileSync(path.join(ARTIFACTS, 'report-pages.txt'), `${pages}\n`);
    expect(pages).toBeGreaterThan(0);
    await page.emulateMedia({ media: 'print' });
    const breaks = await page.evaluate(() => [...document.querySelectorAll('section')].map((s) => getComputedStyle(s).breakBefore));
    expect(breaks.filter((b) => b === 'page' || b === 'always')).toEqual([]);
    // a done finding's evidence is not laid out in print (its cell is hidden); open findings keep theirs
    const doneEvidence = await page.evaluate(() => [...document.querySelectorAll('tr.st-removed .ev, tr.st-closed .ev')].filter((e) => e.getClientRects().length > 0).length);
    expect(doneEvidence).toBe(0);
    await close();
  });

  // the @page margins of templates/report/style.css (14 mm top, 16 mm bottom), in points
  const MARGINS = { top: (14 * 72) / 25.4, bottom: (16 * 72) / 25.4 };

  it('measures page fill from the PDF: a page broken after one paragraph is less than half full', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent('<style>@page { size: A4; margin: 14mm 12mm 16mm; } p { margin: 0 0 8px; }</style><p>one line</p><p style="break-after: page">a second</p>' + '<p>filler line</p>'.repeat(120));
    const pages = pdfPages(await page.pdf({ format: 'A4', preferCSSPageSize: true }));
    const fill = pageFill(pages, MARGINS);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(fill[0]).toBeLessThan(0.1);
    expect(fill[1]).toBeGreaterThan(0.9);
    await context.close();
  });

  it('prints the recorded 14-host lab remediation (lab-remediate-12) to at most 15 A4 pages, none but the last under half full', async () => {
    const dir = path.join(ARTIFACTS, 'run-lab-remediate-12');
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.resolve('test/fixtures/runs/lab-remediate-12/run.json'), path.join(dir, 'run.json'));
    const out = writeReport(dir);
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(180_000);
    await page.goto(pathToFileURL(out.html!).href, { waitUntil: 'load' });
    const pdf = await page.pdf({ path: path.join(ARTIFACTS, 'report-lab-remediate-12.pdf'), format: 'A4', printBackground: true, preferCSSPageSize: true });
    const pages = pdfPages(pdf);
    const fill = pageFill(pages, MARGINS);
    writeFileSync(path.join(ARTIFACTS, 'report-lab-remediate-12-pages.txt'), `${pages.length} pages; fill ${fill.map((f) => f.toFixed(2)).join(' ')}\n`);
    expect(pages.length).toBeLessThanOrEqual(15);
    expect(fill.slice(0, -1).filter((f) => f < 0.5)).toEqual([]);
    // what a manager needs is still printed: every host card, every finding's title, every quarantined file
    await page.emulateMedia({ media: 'print' });
    const shown = (sel: string) => page.evaluate((s) => [...document.querySelectorAll(s)].filter((e) => e.getClientRects().length > 0).length, sel);
    const cards = out.model.hosts.filter((h) => h.findings.length > 0);
    expect(await shown('.host-list details.host')).toBe(cards.length);
    expect(await shown('table.findings td.fc strong')).toBe(cards.reduce((n, h) => n + h.findings.length, 0));
    expect(await shown('table.quar tbody tr')).toBe(cards.reduce((n, h) => n + h.quarantine.length, 0));
    await context.close();
  });

  it('opens a 1,000-host report (timings printed, measured by the bench, not asserted)', async () => {
    const dir = writeRunDir(syntheticFleet(1000), path.join(ARTIFACTS, 'run-1000'));
    const t0 = performance.now();
    const out = writeReport(dir);
    const renderMs = performance.now() - t0;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const t1 = performance.now();
    await page.goto(pathToFileURL(out.html!).href, { waitUntil: 'load' });
    const loadMs = performance.now() - t1;
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-1000-hosts.png') });
    const kib = Math.round(statSync(out.html!).size / 1024);
    process.stdout.write(`06-report: 1,000 hosts: render ${Math.round(renderMs)} ms, ${kib} KiB html, browser load ${Math.round(loadMs)} ms\n`);
    expect(await page.locator('[data-figure="hostsSwept"]').innerText()).toBe('1000');
    await context.close();
  });
});
