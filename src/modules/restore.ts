import { steps, type ActionPlan } from '../actions/types.js';
import { defineModule } from '../playbook/module-types.js';
import { mergeRecords, parseQuarantineOutput, skippedIds } from '../quarantine/manifest.js';
import { parseRestoreOutput, planRestoreRecords } from '../quarantine/rollback.js';
import type { QuarantineRecord } from '../run/types.js';
import { decodeLossless } from '../core/bytes.js';
import { markerStatus } from './support/marker-status.js';

// `restore`: undo every change a run recorded on this host, last first (the one task of
// playbooks/rollback.yml). The records are the host's manifest in quarantine_dir merged
// with the controller's (`records`: journal and run.json); what the host's apply phase
// found nothing to change for stays as it is. Each record is checked against what is there
// now before it is put back. The result carries `records` (the merged list) and `restored`
// (outcome per record id).

type Args = { quarantine_dir: string; records?: QuarantineRecord[] };

const manifestOf = (qdir: string) => `${qdir}/manifest`;

export const module = defineModule<Args>({
  name: 'restore',
  description: 'undo every change a run recorded on the host (byte-exact, last first)',
  options: {
    quarantine_dir: { type: 'string', required: true, description: 'the run\'s quarantine directory on the host (holds its manifest)' },
    records: { type: 'list', description: 'the controller\'s records of the run for this host (journal, run.json)' },
  },
  gather: (a) => ({ read: [manifestOf(a.quarantine_dir)] }),
  plan(a, ctx): ActionPlan {
    const manifest = ctx.gathered.files[manifestOf(a.quarantine_dir)]?.content ?? '';
    const skipped = skippedIds(manifest);
    const records = mergeRecords(parseQuarantineOutput(manifest, a.quarantine_dir, false), (a.records ?? []).filter((r) => !r.id || !skipped.has(r.id)));
    if (!records.length) return { kind: 'nothing', reason: 'no recorded change on this host', data: { records: [] } };
    return { ...steps(...planRestoreRecords(records, a.quarantine_dir)), data: { records } } as ActionPlan;
  },
  stepStatus: markerStatus,
  afterStep: (_s, r) => ({ data: { restored: Object.fromEntries(parseRestoreOutput(decodeLossless(r.stdout))) } }),
});
