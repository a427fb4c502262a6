import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { cli, labFor } from './remediate-helpers.js';
import type { GroundTruth } from '../../src/lab/types.js';
import type { IncidentModel } from '../../src/incident/types.js';
import type { RunRecord } from '../../src/run/types.js';

// One incident on the lab, as a responder runs it: sweep, remediate --apply (checked again
// after the respawn window), harden --apply (rechecked), sweep again, every run under one
// --incident. The incident's report.json must say every infected host cleaned, the exposed
// Redis host closed, the clean hosts clean and nothing open; its first screen and its A4
// print are checked in Debian's headless Chromium.

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts');
const hk = ['--host-key-checking', 'accept-new'];
const runDirOf = (out: string) => /^run: (.+)$/m.exec(out)?.[1]?.trim() ?? '';

let inv: string;
let truth: GroundTruth;
let runs: string;
const NAME = 'lab-incident';
const validateLine = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, validateFormats: false }).compile(JSON.parse(readFileSync(path.resolve('src/report/jsonl.schema.json'), 'utf8')) as object);

beforeAll(async () => {
  // an incident starts on an infected fleet: files before this one (14 remediates its shards) clean the shared lab
  const lab = process.env['MINESWEEP_E2E_LAB_DIR'] ? await labFor() : await (await (await import('../helpers/lab.js')).getLab()).reset();
  inv = lab.inventoryPath;
  truth = lab.groundTruth;
  runs = mkdtempSync(path.join(tmpdir(), 'ms-e2e-incident-'));
});

describe('one incident across sweep, remediate, harden and sweep', () => {
  const incidentDir = () => path.join(runs, 'incidents', NAME);
  const model = () => JSON.parse(readFileSync(path.join(incidentDir(), 'report.json'), 'utf8')) as IncidentModel;
  let firstRun = '';

  it('the first sweep opens the incident: every finding open', () => {
    const r = cli(['sweep', '-i', inv, '--out', runs, '--incident', NAME, ...hk]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    firstRun = runDirOf(r.stdout);
    expect(r.stdout).toMatch(/^incident report: .*report\.html \(\d+ findings open\)$/m);
    const m = model();
    expect(m.runs.map((x) => x.command)).toEqual(['sweep']);
    expect(m.summary.over).toBe(false);
    expect(m.summary.findings.open).toBeGreaterThan(0);
    expect(m.summary.findings.done).toBe(0);
    expect((statSync(path.join(incidentDir(), 'incident.json')).mode & 0o777).toString(8)).toBe('600');
  });

  it('remediate --apply and harden --apply join it; the harden run rechecks what it changed', () => {
    const rem = cli(['remediate', '--from', firstRun, '-i', inv, '--apply', '--verify-after', '70s', '--out', runs, '--incident', NAME, ...hk]);
    expect([0, 1], rem.stdout + rem.stderr).toContain(rem.code);
    // --json: typed lines that validate against the documented schema; hosts end at their verdict after the action
    const hard = cli(['harden', '-i', inv, '--apply', '--out', runs, '--incident', NAME, '--json', ...hk]);
    expect(hard.code, hard.stdout + hard.stderr).toBe(0);
    const lines = hard.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; stage?: string; host?: string; verdict?: string; runDir?: string });
    for (const l of lines) expect(validateLine(l), `${JSON.stringify(l).slice(0, 200)}\n${JSON.stringify(validateLine.errors)}`).toBe(true);
    expect(lines[0]!.type).toBe('run');
    expect(lines[lines.length - 1]!.type).toBe('summary');
    const redisHost = truth.hosts.find((h) => h.scenario === 'redis')!.name;
    expect(lines.find((l) => l.type === 'host' && l.stage === 'fleet' && l.host === redisHost)!.verdict).toBe('closed');
    const hardDir = lines[0]!.runDir!;
    const rec = JSON.parse(readFileSync(path.join(hardDir, 'run.json'), 'utf8')) as RunRecord;
    expect(rec.hosts.find((h) => h.name === redisHost)!.recheck?.state).toBe('closed');
    // the harden run's own report: the Redis host (cleaned already, its doors open) ends closed, not infected
    const report = JSON.parse(readFileSync(path.join(hardDir, 'report.json'), 'utf8')) as { hosts: Array<{ name: string; state: string; findings: Array<{ rule: string; status: string }> }> };
    const h = report.hosts.find((x) => x.name === redisHost)!;
    expect(h.state).toBe('closed');
    expect(h.findings.filter((f) => /^(redis|firewall)\./.test(f.rule)).every((f) => f.status === 'closed')).toBe(true);
  });

  it('the last sweep closes it: infected hosts cleaned, the Redis host closed, clean hosts clean, nothing open', () => {
    const r = cli(['sweep', '-i', inv, '--out', runs, '--incident', NAME, ...hk]);
    const m = model();
    const state = Object.fromEntries(m.hosts.map((h) => [h.name, h.state]));
    const inIncident = truth.hosts.filter((h) => m.hosts.some((x) => x.name === h.name));
    // a host with anything to remove ends cleaned; one with only open doors, closed; the rest clean
    const had = (host: string, pick: (rule: string) => boolean) => m.findings.some((f) => f.host === host && pick(f.rule));
    const door = (rule: string) => /^(redis|firewall|docker)\./.test(rule);
    const expected = (name: string) => (had(name, (x) => !door(x)) ? 'cleaned' : had(name, door) ? 'closed' : 'clean');
    for (const h of inIncident) expect(state[h.name], `${h.name} (${h.scenario})`).toBe(expected(h.name));
    for (const h of inIncident.filter((x) => x.expectFindings)) expect(state[h.name], `${h.name} (${h.scenario}) was infected`).toBe('cleaned');
    for (const h of inIncident.filter((x) => !x.expectFindings)) expect(state[h.name], `${h.name} (${h.scenario}) is a clean host`).toBe('clean');
    const open = m.findings.filter((f) => f.status !== 'done');
    expect(open.map((f) => `${f.host} ${f.rule} ${f.title}`), r.stdout).toEqual([]);
    // the Redis host's open doors were closed by the harden run, and checked again
    const redisHost = truth.hosts.find((h) => h.scenario === 'redis')!.name;
    const doors = m.findings.filter((f) => f.host === redisHost && door(f.rule));
    expect(doors.length).toBeGreaterThan(0);
    expect(doors.every((f) => f.status === 'done' && f.doneBy === m.runs[2]!.id)).toBe(true);
    expect(m.summary.doorsClosed).toBeGreaterThanOrEqual(1);
    const n = (s: string) => inIncident.filter((h) => expected(h.name) === s).length;
    expect(m.summary.verdicts).toMatchObject({ cleaned: n('cleaned'), closed: n('closed'), clean: n('clean'), infected: 0, reinfected: 0, exposed: 0, suspicious: 0 });
    expect(m.summary.over).toBe(true);
    expect(m.summary.headline).toMatch(/^Over: /);
    expect(m.runs.map((x) => x.command)).toEqual(['sweep', 'remediate', 'harden', 'sweep']);
    expect(m.summary.since).not.toBeNull();
    expect(m.summary.since!.what).not.toMatch(/\/etc\/(passwd|shadow|group)/);
    expect(m.summary.act.join(' ')).toMatch(/Redis on .* now needs a password/);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'incident-summary.json'), JSON.stringify({ verdicts: m.summary.verdicts, findings: m.summary.findings, headline: m.summary.headline }, null, 2));
    const again = cli(['report', '--incident', NAME, '--runs', runs]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/findings open; over|0 findings open; over/);
  });

  describe('in a real browser', () => {
    let browser: Browser;
    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    });
    afterAll(async () => browser?.close());

    it('the first screen answers how many, how bad, since when, how it got in, is it over, who must act', async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
      const page = await ctx.newPage();
      const requests: string[] = [];
      page.on('request', (q) => { if (!q.url().startsWith('file:')) requests.push(q.url()); });
      await page.goto(pathToFileURL(path.join(incidentDir(), 'report.html')).href);
      const m = model();
      const fig = (k: string) => page.locator(`[data-figure="${k}"]`).first().innerText();
      expect(await fig('hosts')).toBe(String(m.summary.hosts));
      expect(await fig('cleaned')).toBe(String(m.summary.verdicts.cleaned));
      expect(await fig('doorsClosed')).toBe(String(m.summary.doorsClosed));
      expect(await fig('open')).toBe('0');
      expect(await fig('over')).toMatch(/Is it over\? Yes\./);
      expect(await fig('since')).toMatch(/earliest trace dates from/);
      // all of that above the fold
      for (const k of ['headline', 'hosts', 'over']) {
        const box = await page.locator(`[data-figure="${k}"]`).first().boundingBox();
        expect(box!.y + box!.height, k).toBeLessThan(900);
      }
      await page.screenshot({ path: path.join(ARTIFACTS, 'incident-first-screen.png') });
      expect(requests).toEqual([]);
      await ctx.close();
    });

    it('prints to at most 15 A4 pages', async () => {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(path.join(incidentDir(), 'report.html')).href);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      writeFileSync(path.join(ARTIFACTS, 'incident-print.pdf'), pdf);
      writeFileSync(path.join(ARTIFACTS, 'incident-pages.txt'), `${pages}\n`);
      expect(pages).toBeGreaterThan(0);
      expect(pages).toBeLessThanOrEqual(15);
      await page.close();
    });
  });
});

afterAll(() => {
  if (existsSync(runs)) process.stderr.write(`15-incident: runs in ${runs}\n`);
});
