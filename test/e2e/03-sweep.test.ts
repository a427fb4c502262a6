import { execFile, spawn } from 'node:child_process';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/load.js';
import { loadTargets, readFleetOptions, transportOptions } from '../../src/commands/common.js';
import { encodeLossless } from '../../src/core/bytes.js';
import type { Finding } from '../../src/findings/types.js';
import { readRunRecord } from '../../src/run/run-dir.js';
import { sweepFleet, type SweepResult } from '../../src/sweep/sweep-fleet.js';
import { runFleet } from '../../src/transport/fleet.js';
import type { RunFleet, Session } from '../../src/transport/types.js';
import { getLab } from '../helpers/lab.js';
import type { GroundTruth, HostTruth, PlantedArtifact } from '../../src/lab/types.js';

// The sweep on the real lab: every scenario's planted artifacts are reported with the
// right family, clean and clean-but-busy hosts get zero findings, the pivot host is found
// through the pivot, hostile names come back byte-exact, and each host costs one SSH exec.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

type Lab = Awaited<ReturnType<typeof getLab>>;
type Truth = HostTruth;

let lab: Lab;
let truth: Truth[];
let sweep: SweepResult;
const execs = new Map<string, number>();

/** Wrap the real transport so every exec on every session is counted per host. */
const counting: RunFleet = (targets, fn, opts) =>
  runFleet(
    targets,
    (session: Session) => {
      const exec = session.exec.bind(session);
      session.exec = (cmd, o) => {
        execs.set(session.target.name, (execs.get(session.target.name) ?? 0) + 1);
        return exec(cmd, o);
      };
      return fn(session);
    },
    opts,
  );

const all = (fs: Finding[]): string => JSON.stringify(fs);
/** The strings a planted artifact names that a correct finding must carry. */
function namesOf(a: PlantedArtifact): string[] {
  const out = [a.path, a.line, a.name, a.comm, a.original].filter((v): v is string => typeof v === 'string' && v.length > 0);
  if (a.kind === 'connection' && a.remote) out.push(a.remote);
  if (a.kind === 'redis' && a.port) out.push(`:${a.port}`);
  return out;
}
const has = (text: string, n: string): boolean => text.includes(JSON.stringify(n).slice(1, -1));

beforeAll(async () => {
  lab = await getLab();
  truth = (lab.groundTruth as GroundTruth).hosts;
  const o = readFleetOptions({ inventory: [lab.inventoryPath], forks: '50', connectTimeout: '20', timeout: '120' });
  const fleet = await transportOptions(o);
  const { targets } = await loadTargets(o, 'all', fleet);
  sweep = await sweepFleet(targets, { catalogue: loadCatalogue(), fleet, out: mkdtempSync(path.join(tmpdir(), 'ms-sweep-')), keepFacts: true, runFleet: counting });
});

describe('sweep on the lab', () => {
  it('reaches every host and costs exactly one SSH exec per host', () => {
    const bad = sweep.record.hosts.filter((h) => h.status !== 'ok').map((h) => `${h.name}: ${h.status} ${h.reason ?? ''}`);
    expect(bad).toEqual([]);
    for (const h of sweep.record.hosts) expect([h.name, execs.get(h.name)]).toEqual([h.name, 1]);
  });

  it('clean and clean-but-busy hosts get zero findings', () => {
    const clean = truth.filter((t) => !t.expectFindings);
    expect(clean.map((t) => t.scenario)).toEqual(expect.arrayContaining(['clean', 'clean-busy']));
    for (const t of clean) {
      const h = sweep.record.hosts.find((x) => x.name === t.name)!;
      expect([t.name, h.findings.map((f) => `${f.rule}: ${f.title}`)]).toEqual([t.name, []]);
    }
  });

  it('every infected scenario is reported with its family and every planted artifact', () => {
    for (const t of truth.filter((x) => x.expectFindings && x.scenario !== 'pivot')) {
      const h = sweep.record.hosts.find((x) => x.name === t.name)!;
      expect([t.name, h.findings.map((f) => f.family)]).toEqual([t.name, expect.arrayContaining([t.family])]);
      const text = all(h.findings);
      // what the probe could not see cannot be reported: a redis config path the probe did not
      // find (redis-server rewrites its argv), files the probe did not list
      const seen = JSON.stringify(sweep.facts.get(t.name));
      for (const a of t.artifacts.filter((x) => !x.legitimate)) {
        const missing = namesOf(a).filter((n) => !has(text, n) && has(seen, n));
        expect([t.name, a.kind, missing]).toEqual([t.name, a.kind, []]);
      }
    }
  });

  it('legitimate things on infected hosts are left alone', () => {
    for (const t of truth)
      for (const a of t.artifacts.filter((x) => x.legitimate)) {
        const h = sweep.record.hosts.find((x) => x.name === t.name)!;
        const targeted = h.findings.flatMap((f) => f.artifacts).filter((x) => ('line' in x && x.line === a.line) || (x.type === 'process' && a.kind === 'process' && x.exe === a.path));
        expect([t.name, a.kind, a.line ?? a.path, targeted]).toEqual([t.name, a.kind, a.line ?? a.path, []]);
      }
  });

  it('the host planted only with an indicator seen elsewhere is found through the pivot', () => {
    const p = truth.filter((t) => t.scenario === 'pivot');
    expect(p.length).toBeGreaterThan(0);
    for (const t of p) {
      const h = sweep.record.hosts.find((x) => x.name === t.name)!;
      expect(h.findings.length).toBeGreaterThan(0);
      expect(h.findings.every((f) => f.pivot && f.pivot.seenOn.some((s) => s !== t.name))).toBe(true);
      expect(h.findings.map((f) => f.family)).toContain(t.family);
      const hostsLine = t.artifacts.find((a) => a.kind === 'hosts-entry')!;
      expect(has(all(h.findings), hostsLine.line!)).toBe(true);
    }
  });

  it('hostile names come back byte-exact in the findings and the run directory', () => {
    const hostile = truth.flatMap((t) => t.artifacts.flatMap(namesOf).filter((n) => /[\n'"$]|<script>/.test(n)).map((n) => ({ host: t.name, n })));
    expect(hostile.length).toBeGreaterThan(0);
    // the argv and key comment always reach the facts; a hostile file name only if the probe lists it
    const inFacts = hostile.filter(({ host, n }) => has(JSON.stringify(sweep.facts.get(host)), n));
    expect(inFacts.length).toBeGreaterThan(0);
    const rec = readRunRecord(sweep.runDir!);
    for (const { host, n } of inFacts) {
      const fs = rec.hosts.find((h) => h.name === host)!.findings;
      const strings = fs.flatMap((f) => [...f.evidence.flatMap((e) => [e.text, e.path ?? '']), ...f.artifacts.flatMap((a) => Object.values(a).filter((v): v is string => typeof v === 'string'))]);
      expect([host, n, strings.some((s) => s.includes(n) && encodeLossless(s).includes(encodeLossless(n)))]).toEqual([host, n, true]);
    }
    // hostile argv words: process evidence shows argv as a JSON list, each word exact
    for (const t of truth)
      for (const a of t.artifacts.filter((x) => x.kind === 'process' && !x.legitimate && x.argv?.some((w) => /['"$`<]/.test(w)))) {
        const texts = rec.hosts.find((h) => h.name === t.name)!.findings.flatMap((f) => f.evidence.map((e) => e.text));
        for (const w of a.argv!.filter((x) => /['"$`<]/.test(x))) expect([t.name, w, texts.some((x) => x.includes(JSON.stringify(w)))]).toEqual([t.name, w, true]);
      }
  });

  it('the CLI prints one line per infected host, the totals and the run dir; exit 1; iocs exports a valid --ioc file', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'ms-cli-'));
    const r = await run('node', [path.join(root, 'dist/cli.js'), 'sweep', '-i', lab.inventoryPath, '--out', out], { maxBuffer: 1 << 26 }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect((r as { code?: number }).code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    const infected = truth.filter((t) => t.expectFindings).length;
    expect(lines.filter((l) => l.startsWith('INFECTED')).length).toBe(infected);
    expect(lines.at(-3)).toMatch(/hosts: \d+ infected, \d+ clean, 0 unreachable, 0 failed/);
    expect(lines.at(-2)).toMatch(/^run: /);
    const dir = lines.at(-2)!.replace(/^run: /, '');
    expect(lines.at(-1)).toBe(`report: ${path.join(dir, 'report.html')}`);
    expect(existsSync(path.join(dir, 'report.html'))).toBe(true);
    const iocs = await run('node', [path.join(root, 'dist/cli.js'), 'iocs', dir]);
    expect(iocs.stdout).toMatch(/^iocs:/m);
    const file = path.join(out, 'incident.yml');
    await run('node', [path.join(root, 'dist/cli.js'), 'iocs', dir, '-o', file]);
    expect(readFileSync(file, 'utf8')).toBe(iocs.stdout);
    // the exported file is accepted by --ioc (one infected host is enough to see it load and match)
    const one = truth.find((t) => t.expectFindings)!.name;
    const again = await run('node', [path.join(root, 'dist/cli.js'), 'sweep', '-i', lab.inventoryPath, '--limit', one, '--ioc', file, '--out', out]).catch((e: { code: number; stdout: string }) => e);
    expect((again as { code?: number }).code, again.stdout).toBe(1);
    expect(again.stdout).toMatch(new RegExp(`^INFECTED\\s+${one} `, 'm'));
  });

  it('sweep --json streams JSON Lines that validate against src/report/jsonl.schema.json, host lines before the summary', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'ms-jsonl-'));
    const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, validateFormats: false }).compile(JSON.parse(readFileSync(path.join(root, 'src/report/jsonl.schema.json'), 'utf8')) as object);
    const child = spawn('node', [path.join(root, 'dist/cli.js'), 'sweep', '-i', lab.inventoryPath, '--out', out, '--json', '--forks', '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // each line with the index of the stdout chunk it arrived in
    const lines: Array<{ chunk: number; text: string }> = [];
    let chunk = 0;
    let rest = '';
    child.stdout.on('data', (b: Buffer) => {
      chunk++;
      const parts = (rest + b.toString('utf8')).split('\n');
      rest = parts.pop()!;
      for (const text of parts) lines.push({ chunk, text });
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(rest).toBe('');
    expect(code).toBe(1);
    const parsed = lines.map((l) => ({ ...l, j: JSON.parse(l.text) as { type: string; host?: string; stage?: string; verdict?: string } }));
    for (const p of parsed) expect(validate(p.j), `${p.text.slice(0, 300)}\n${JSON.stringify(validate.errors)}`).toBe(true);
    expect(parsed[0]!.j.type).toBe('run');
    const summary = parsed.at(-1)!;
    expect(summary.j).toMatchObject({ type: 'summary', hosts: truth.length, exitCode: 1 });
    const hostLines = parsed.filter((p) => p.j.type === 'host' && p.j.stage === 'sweep');
    expect(new Set(hostLines.map((p) => p.j.host)).size).toBe(truth.length);
    // streamed: the first hosts came in chunks before the summary's
    expect(hostLines[0]!.chunk).toBeLessThan(summary.chunk);
    // the final verdict of a host is its last host line's; the summary counts those
    const final = new Map<string, string>();
    for (const p of parsed) if (p.j.type === 'host') final.set(p.j.host!, p.j.verdict!);
    const counts: Record<string, number> = {};
    for (const v of final.values()) counts[v] = (counts[v] ?? 0) + 1;
    expect((summary.j as unknown as { verdicts: Record<string, number> }).verdicts).toEqual(counts);
    const record = readRunRecord((summary.j as unknown as { runDir: string }).runDir);
    expect(Object.fromEntries(record.hosts.map((h) => [h.name, h.verdict]))).toEqual(Object.fromEntries(final));
    // no raw escape outside JSON strings: JSON.stringify escapes every control character
    expect(lines.some((l) => /[\u0000-\u001f]/.test(l.text))).toBe(false);
  });
});
