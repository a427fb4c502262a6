import { createHash } from 'node:crypto';
import { decodeLossless } from '../core/bytes.js';

// Pure parser of the evidence step's stdout (frame in evidence.ts).

export interface EvidenceItem {
  /** the host path, exact */
  path: string;
  /** null when the path was absent on the host, or a symlink (not read through) */
  content: Buffer | null;
  /** the symlink's target, when the path is one */
  linkTarget?: string;
  sha256: string;
}

/** Split the framed stdout into items; stops at the first malformed frame. */
export function parseEvidence(stdout: Buffer): EvidenceItem[] {
  const out: EvidenceItem[] = [];
  let i = 0;
  while (i < stdout.length) {
    const nl = stdout.indexOf(0x0a, i);
    if (nl < 0) break;
    const header = stdout.subarray(i, nl).toString('latin1');
    let m = /^MSE-LINK ([0-9a-f]*) ([0-9a-f]*)$/.exec(header);
    if (m) {
      out.push({ path: decodeLossless(Buffer.from(m[1]!, 'hex')), content: null, sha256: '', linkTarget: decodeLossless(Buffer.from(m[2]!, 'hex')) });
      i = nl + 1;
      continue;
    }
    m = /^MSE-NONE ([0-9a-f]*)$/.exec(header);
    if (m) {
      out.push({ path: decodeLossless(Buffer.from(m[1]!, 'hex')), content: null, sha256: '' });
      i = nl + 1;
      continue;
    }
    m = /^MSE ([0-9a-f]*) (\d+)$/.exec(header);
    if (!m) break;
    const size = Number(m[2]);
    const start = nl + 1;
    if (start + size > stdout.length) break;
    const content = Buffer.from(stdout.subarray(start, start + size));
    out.push({ path: decodeLossless(Buffer.from(m[1]!, 'hex')), content, sha256: createHash('sha256').update(content).digest('hex') });
    i = start + size + 1; // the trailing newline
  }
  return out;
}

/** A file name for an evidence item inside the run directory (safe characters only). */
export function evidenceFileName(path: string, index: number): string {
  const safe = path.replace(/^\/+/, '').replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 100) || 'root';
  return `${String(index).padStart(3, '0')}-${safe}`;
}
