import type { Evidence } from '../findings/types.js';
import { isoFromSeconds } from './time.js';
import type { ReportEvidence, ReportFinding } from './types.js';

// A host's evidence, each piece once: findings (also the verification's and the recheck's) name
// theirs by id. Two pieces are the same when every field is equal (kind, text, path, line, pid,
// sha256, time), so looking the ids up gives back exactly the evidence each finding carried.

const key = (e: Evidence) => JSON.stringify(Object.entries(e).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The evidence table of one host: ids E1, E2 … in order of first use. */
export class EvidenceTable {
  readonly rows: ReportEvidence[] = [];
  private readonly ids = new Map<string, string>();

  /** The ids of `evidence`, in its order; a piece not seen before is added to the table. */
  idsOf(evidence: readonly Evidence[]): string[] {
    return evidence.map((e) => {
      const k = key(e);
      let id = this.ids.get(k);
      if (!id) {
        id = `E${this.rows.length + 1}`;
        this.ids.set(k, id);
        this.rows.push({ id, ...e, ...(e.time ? { iso: isoFromSeconds(e.time) } : {}) });
      }
      return id;
    });
  }
}

/** A finding's evidence looked up in its host's table, in the finding's order. */
export function findingEvidence(host: { evidence: readonly ReportEvidence[] }, f: Pick<ReportFinding, 'evidenceIds'>): ReportEvidence[] {
  const byId = new Map(host.evidence.map((e) => [e.id, e]));
  return f.evidenceIds.map((id) => {
    const e = byId.get(id);
    if (!e) throw new Error(`report: evidence ${id} is not in the host's evidence table`);
    return e;
  });
}
