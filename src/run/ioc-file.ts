import { stringify } from 'yaml';
import type { Ioc } from '../findings/types.js';
import type { RunRecord } from './types.js';

/** A run's indicators as an `--ioc` file (catalogue schema, `iocs:` list). Pure. */
export function iocFileText(record: RunRecord): string {
  const iocs: Ioc[] = record.iocs.map((i) => ({ type: i.type, value: i.value, ...(i.family ? { family: i.family } : {}), ...(i.source ? { source: i.source } : {}) }));
  const header = [
    `# minesweep IOC file exported from run ${record.id} (${record.startedAt})`,
    `# use it on the next sweep: minesweep sweep -i INVENTORY --ioc THIS_FILE`,
    `# schema: src/catalogue/families.yml header; add families: to name new ones`,
  ].join('\n');
  return `${header}\n${stringify({ iocs }, { lineWidth: 0 })}`;
}
