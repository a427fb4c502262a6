import { constants, gunzipSync, inflateRawSync } from 'node:zlib';
import { decodeLossless } from '../core/bytes.js';

// The probe's output framing (see script.ts). Every line is either a marker starting with
// '@' or a data line of an encoded value, which never starts with '@': raw bytes behind a '|'
// (r: `sed 's/^/|/'`, then a "~" line, preceded by an empty one when the value ended with a
// newline), base64 (b) or
// `od -An -tx1` hex (x). Where the host has gzip, the output is "@GZ\n" and then one gzip
// stream of the same framing (a cut stream gives what it holds).
//   @MINESWEEP 1 r|b|x     first line: protocol version, encoding of data lines
//   @S name                a section begins
//   @R kind                a record begins (fields follow)
//   @L key value           a field the script wrote itself (numbers, plain words, safe paths)
//   @B key                 a field whose encoded bytes follow on data lines
//   @T reason              the section hit a bound (count, size, time)
//   @E name rc ms [cpu]    the section ended with exit status rc after ms milliseconds, its
//                          processes having used cpu clock ticks
//   @C step ms cpu         a step outside the sections (the package pass) took ms, cpu ticks
//   @END                   the script finished
// Host bytes are only ever in @B data, so no file name or content can forge a marker.

/** One record: its kind and its fields as the exact bytes the host had. */
export class ProbeRecord {
  readonly fields = new Map<string, Buffer>();
  constructor(readonly kind: string) {}

  has(key: string): boolean {
    return this.fields.has(key);
  }
  bytes(key: string): Buffer {
    return this.fields.get(key) ?? Buffer.alloc(0);
  }
  /** the field decoded losslessly (core/bytes.ts); '' when absent */
  str(key: string): string {
    const b = this.fields.get(key);
    return b ? decodeLarge(b) : '';
  }
  /** the field as a number; `fallback` when absent or not a number */
  num(key: string, fallback = 0): number {
    const s = this.str(key).trim();
    if (s === '') return fallback;
    const n = Number(s);
    return Number.isFinite(n) ? n : fallback;
  }
}

const CHUNK = 16 * 1024;

/**
 * decodeLossless in pieces (it spreads a whole ASCII run into one call, which overflows the
 * stack on large fields); pieces end just before an ASCII byte, which never splits a UTF-8
 * sequence, so the result is the same as decoding the whole buffer.
 */
export function decodeLarge(buf: Buffer): string {
  if (buf.length <= CHUNK) return decodeLossless(buf);
  let out = '';
  let start = 0;
  while (start < buf.length) {
    let end = Math.min(start + CHUNK, buf.length);
    while (end < buf.length && buf[end]! >= 0x80) end++;
    out += decodeLossless(buf.subarray(start, end));
    start = end;
  }
  return out;
}

export interface RawSection {
  name: string;
  records: ProbeRecord[];
  /** reasons given by @T lines */
  truncated: string[];
  /** exit status from @E; null when the section never ended (killed, output cut) */
  rc: number | null;
  /** the section's run time on the host (10 ms resolution), when the script printed it */
  ms?: number;
  /** CPU clock ticks of the section's processes on the host, when the script printed them */
  cpuTicks?: number;
}

/** Run time and CPU of a step outside the sections (@C). */
export interface StepCost {
  ms: number;
  cpuTicks: number;
}

export interface ProbeOutput {
  version: string;
  encoding: Encoding;
  sections: Map<string, RawSection>;
  /** the script ran to its last line */
  complete: boolean;
  /** framing problems (stray data, unknown markers), for meta.errors */
  problems: string[];
  /** steps outside the sections, by name (@C) */
  steps: Map<string, StepCost>;
}

export type Encoding = 'r' | 'b' | 'x';

/**
 * Raw lines: each line of the value behind a '|', then "~" alone on a line; an empty line
 * before the "~" says the value ended with a newline. Without the "~" (output cut), the lines
 * that came.
 */
function decodeRaw(lines: Buffer[]): Buffer {
  const pieces: Buffer[] = [];
  let i = 0;
  for (; i < lines.length && lines[i]![0] === 0x7c; i++) pieces.push(lines[i]!.subarray(1));
  const ended = lines[i]?.length === 0 && lines[i + 1]?.length === 1 && lines[i + 1]![0] === 0x7e;
  const parts: Buffer[] = [];
  const nl = Buffer.from('\n');
  pieces.forEach((p, k) => {
    if (k > 0) parts.push(nl);
    parts.push(p);
  });
  if (pieces.length > 0 && ended) parts.push(nl);
  return Buffer.concat(parts);
}

function decodeData(lines: Buffer[], encoding: Encoding): Buffer {
  if (encoding === 'r') return decodeRaw(lines);
  const text = Buffer.concat(lines).toString('latin1').replace(/\s+/g, '');
  if (encoding === 'b') return Buffer.from(text, 'base64');
  const even = text.length - (text.length % 2);
  return Buffer.from(text.slice(0, even), 'hex');
}

function splitLines(buf: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) break;
    lines.push(buf.subarray(start, nl));
    start = nl + 1;
  }
  if (start < buf.length) lines.push(buf.subarray(start));
  return lines;
}

const GZ = Buffer.from('@GZ\n');

/** The probe's output with a gzip tail undone; a stream cut short gives the bytes it holds. */
export function inflateOutput(buf: Buffer): { bytes: Buffer; problem?: string } {
  if (buf.length < GZ.length || !buf.subarray(0, GZ.length).equals(GZ)) return { bytes: buf };
  const body = buf.subarray(GZ.length);
  try {
    return { bytes: gunzipSync(body) };
  } catch {
    // cut short, or followed by other bytes: the deflate data itself, as far as it goes
    try {
      return { bytes: inflateRawSync(body.subarray(gzipHeaderLength(body)), { finishFlush: constants.Z_SYNC_FLUSH }), problem: 'the compressed output was cut short or followed by other bytes' };
    } catch (e) {
      return { bytes: Buffer.alloc(0), problem: `the compressed output is unreadable: ${(e as Error).message}` };
    }
  }
}

/** Bytes of a gzip member's header (RFC 1952: 10, then the optional extra, name, comment and header CRC). */
function gzipHeaderLength(b: Buffer): number {
  const flags = b[3] ?? 0;
  let at = 10;
  if (flags & 4) at += 2 + (b.readUInt16LE(at) || 0);
  for (const bit of [8, 16]) if (flags & bit) at = b.indexOf(0, at) + 1 || b.length;
  if (flags & 2) at += 2;
  return at;
}

/** Split raw probe stdout into sections of records. Never throws. */
export function readProbeOutput(wire: Buffer): ProbeOutput {
  const out: ProbeOutput = { version: '', encoding: 'b', sections: new Map(), complete: false, problems: [], steps: new Map() };
  const { bytes: buf, problem } = inflateOutput(wire);
  if (problem) out.problems.push(problem);
  let section: RawSection | undefined;
  let record: ProbeRecord | undefined;
  let blobKey: string | undefined;
  let blob: Buffer[] = [];
  const flush = (): void => {
    if (record && blobKey !== undefined) record.fields.set(blobKey, decodeData(blob, out.encoding));
    blobKey = undefined;
    blob = [];
  };
  let stray = 0;
  for (const line of splitLines(buf)) {
    if (line[0] !== 0x40 /* @ */) {
      if (blobKey !== undefined) blob.push(line);
      else if (line.length > 0 && !/^\s*$/.test(line.toString('latin1'))) stray++;
      continue;
    }
    flush();
    const text = line.toString('latin1');
    const sp = text.indexOf(' ');
    const tag = sp < 0 ? text : text.slice(0, sp);
    const rest = sp < 0 ? '' : text.slice(sp + 1);
    switch (tag) {
      case '@MINESWEEP': {
        const [v, e] = rest.split(' ');
        out.version = v ?? '';
        out.encoding = e === 'x' ? 'x' : e === 'r' ? 'r' : 'b';
        break;
      }
      case '@S':
        section = { name: rest, records: [], truncated: [], rc: null };
        out.sections.set(rest, section);
        record = undefined;
        break;
      case '@R':
        record = new ProbeRecord(rest);
        if (section) section.records.push(record);
        else out.problems.push(`record "${rest}" outside any section`);
        break;
      case '@L': {
        const k = rest.indexOf(' ');
        const key = k < 0 ? rest : rest.slice(0, k);
        // the value is the rest of the line, as bytes (safe ASCII by construction)
        const value = k < 0 ? Buffer.alloc(0) : line.subarray(sp + 1 + k + 1);
        if (record) record.fields.set(key, Buffer.from(value));
        break;
      }
      case '@B':
        if (record) blobKey = rest;
        break;
      case '@T':
        if (section) section.truncated.push(rest);
        break;
      case '@E': {
        const [name, rc, ms, cpu] = rest.split(' ');
        const s = out.sections.get(name ?? '');
        if (s) s.rc = Number.isFinite(Number(rc)) ? Number(rc) : null;
        if (s && ms !== undefined && Number.isFinite(Number(ms))) s.ms = Number(ms);
        if (s && cpu !== undefined && Number.isFinite(Number(cpu))) s.cpuTicks = Number(cpu);
        section = undefined;
        record = undefined;
        break;
      }
      case '@C': {
        const [name = '', ms, cpu] = rest.split(' ');
        if (name && Number.isFinite(Number(ms)) && Number.isFinite(Number(cpu))) out.steps.set(name, { ms: Number(ms), cpuTicks: Number(cpu) });
        break;
      }
      case '@END':
        out.complete = true;
        break;
      default:
        out.problems.push(`unknown marker ${JSON.stringify(tag.slice(0, 20))}`);
    }
  }
  flush();
  if (stray > 0) out.problems.push(`${stray} stray line(s) outside any field`);
  return out;
}
