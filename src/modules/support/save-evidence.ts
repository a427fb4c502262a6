import path from 'node:path';
import { decodeLossless } from '../../core/bytes.js';
import { safeName } from '../../run/safe-name.js';
import { writeEvidenceFile } from '../../run/run-dir.js';
import { mkdirPrivate, writePrivate } from '../../run/private-files.js';
import { parseEvidence } from '../../remediate/evidence-frame.js';

/** Save the evidence step's output under evidence/<host>/ (bytes exact) with its captured.json index; returns how many files. */
export function saveEvidence(runDir: string, host: string, stdout: Buffer): number {
  const items = parseEvidence(stdout);
  const index = items.map((it) =>
    it.content === null
      ? it.linkTarget !== undefined ? { hostPath: it.path, linkTarget: it.linkTarget } : { hostPath: it.path, absent: true }
      : { ...writeEvidenceFile(runDir, host, it.path.startsWith('/proc/') ? `${it.path}.bin` : it.path, decodeLossless(it.content)), hostPath: it.path, sha256: it.sha256, size: it.content.length },
  );
  const file = path.join(runDir, 'evidence', safeName(host), 'captured.json');
  mkdirPrivate(path.dirname(file));
  writePrivate(file, JSON.stringify(index, null, 1) + '\n');
  return items.filter((i) => i.content !== null).length;
}
