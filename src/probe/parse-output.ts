import type { HostFacts, TextFile } from '../facts/types.js';
import { emptyFacts } from './empty-facts.js';
import { expandBatch } from './batch-records.js';
import { readProbeOutput, type ProbeOutput } from './records.js';
import type { ParseContext, ProbeSection, SectionFacts } from './section.js';
import { sections as allSections } from './sections/index.js';

export interface ParseOptions {
  /** inventory name of the host */
  host: string;
  durationMs?: number;
  /** the sections the script held (default: all) */
  sections?: ProbeSection[];
}

function merge(facts: HostFacts, part: SectionFacts): void {
  const { truncated: _t, meta, attributes, executables, ...rest } = part;
  Object.assign(facts, rest);
  if (attributes) Object.assign(facts.attributes, attributes);
  if (executables) facts.executables.push(...executables);
  if (meta?.tools) facts.meta.tools = meta.tools;
}

function allTextFiles(f: HostFacts): TextFile[] {
  return [...f.cron, ...f.units, ...f.initScripts, ...f.profiles, ...f.ldSoConfD, ...f.sudoers, ...f.authorizedKeys, ...[f.ldPreload, f.etcHosts, f.sshdConfig].filter((x): x is TextFile => x !== null)];
}

/** Facts several sections contribute to: attributes, executables, Docker's API. */
function derive(f: HostFacts): void {
  for (const t of allTextFiles(f)) if (t.attrs) f.attributes[t.path] ??= t.attrs;
  for (const p of f.processes)
    if (p.exeSha256 && !f.executables.some((e) => e.pid === p.pid)) f.executables.unshift({ path: p.exe, sha256: p.exeSha256, size: 0, pid: p.pid });
  const docker = f.sockets.filter((s) => s.state === 'LISTEN' && (s.localPort === 2375 || s.localPort === 2376));
  const addrs = docker.map((s) => (s.localAddress.includes(':') ? `[${s.localAddress}]:${s.localPort}` : `${s.localAddress}:${s.localPort}`));
  for (const p of f.processes.filter((x) => x.comm === 'dockerd'))
    for (const a of p.argv.join(' ').match(/tcp:\/\/[^\s,]+/g) ?? []) addrs.push(a.slice('tcp://'.length));
  f.docker = { apiListening: docker.length > 0, addresses: [...new Set(addrs)] };
}

/** Host CPU per section and per step outside them (the package pass), in ms of the host's clock ticks. */
function sectionCpu(facts: HostFacts, out: ProbeOutput, clkTck: number): void {
  const ms = (ticks: number): number => Math.round((ticks * 1000) / (clkTck > 0 ? clkTck : 100));
  const cpu: Record<string, number> = {};
  for (const [name, step] of out.steps) cpu[name] = ms(step.cpuTicks);
  for (const [name, s] of out.sections) if (s.cpuTicks !== undefined) cpu[name] = ms(s.cpuTicks);
  if (Object.keys(cpu).length > 0) facts.meta.sectionCpuMs = cpu;
}

/** Sections whose facts are partial (meta.errors and meta.truncated), in probe order. */
export function incompleteSections(f: HostFacts): string[] {
  return [...new Set([...f.meta.errors.map((e) => e.section), ...f.meta.truncated])];
}

/**
 * Probe stdout (bytes, as SSH delivered them) → HostFacts. Pure and total: a section that is
 * absent, cut short or whose parser throws gets its "missing" value and an entry in
 * meta.errors; bounds hit are listed in meta.truncated.
 */
export function parseProbeOutput(stdout: Buffer, opts: ParseOptions): HostFacts {
  const facts = emptyFacts(opts.host);
  facts.meta.bytes = stdout.length;
  facts.meta.durationMs = opts.durationMs ?? 0;
  const out = readProbeOutput(stdout);
  const ctx: ParseContext = { facts, clock: { now: 0, btime: 0, clkTck: 100, uptime: 0, self: 0, pidMax: 32768 }, users: new Map(), groups: new Map() };
  if (!out.version) facts.meta.errors.push({ section: 'probe', message: 'no probe header in the output: the script did not run (is /bin/sh a POSIX shell? did sudo ask for a password?)' });
  for (const p of out.problems) facts.meta.errors.push({ section: 'framing', message: p });
  for (const section of opts.sections ?? allSections) {
    const raw = out.sections.get(section.name);
    if (!raw) {
      merge(facts, section.missing());
      if (out.version) facts.meta.errors.push({ section: section.name, message: out.complete ? 'section missing from the output' : 'the probe stopped before this section (timeout or output cut)' });
      continue;
    }
    if (raw.ms !== undefined) (facts.meta.sectionMs ??= {})[section.name] = raw.ms;
    if (raw.rc === null) facts.meta.errors.push({ section: section.name, message: 'the section did not finish; parsed what it printed' });
    if (raw.truncated.includes('timeout')) facts.meta.errors.push({ section: section.name, message: `killed after ${section.timeoutSeconds}s (or the overall budget); parsed what it printed` });
    const records = raw.records.flatMap(expandBatch);
    if (raw.truncated.length > 0 || records.some((r) => r.str('trunc') === '1')) facts.meta.truncated.push(section.name);
    try {
      const part = section.parse(records, ctx);
      merge(facts, part);
      if (part.truncated && !facts.meta.truncated.includes(section.name)) facts.meta.truncated.push(section.name);
    } catch (e) {
      merge(facts, section.missing());
      facts.meta.errors.push({ section: section.name, message: `parser failed: ${(e as Error).message}` });
    }
  }
  sectionCpu(facts, out, ctx.clock.clkTck);
  derive(facts);
  facts.host = opts.host;
  facts.meta.incomplete = incompleteSections(facts);
  return facts;
}
