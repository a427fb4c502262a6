import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { decodeLossless, encodeLossless } from '../core/bytes.js';
import type { HostFacts } from '../facts/types.js';
import type { Ioc } from '../findings/types.js';
import { outbound, plainAddress } from '../evidence/finding.js';
import { basename, stripDeleted } from '../evidence/paths.js';
import { searchText } from '../evidence/match-ioc.js';

// What a sweep keeps of a host between its probe and the fleet pivot, instead of its facts:
// the text the pivot searches plus the exact values it compares (addresses, hashes, paths,
// names, fingerprints), deflated (~24 KB for a 210 KB facts file). It answers "could this
// indicator be on this host?" with no false negatives; only hosts that say yes are read back
// from disk and matched for real (matchIoc).

export interface PivotIndex {
  /** `<text length>\n<search text><key lines>`, deflated */
  z: Buffer;
}

const key = (type: string, value: string): string => `\n${type}\u0001${value}`;

/** The exact values matchIoc compares per indicator type (beyond the search text). */
function exactKeys(facts: HostFacts): string[] {
  const keys = new Set<string>();
  const add = (type: string, value: string | undefined): void => {
    if (value) keys.add(key(type, value));
  };
  for (const s of outbound(facts)) add('ip', plainAddress(s.remoteAddress));
  for (const p of facts.processes) {
    add('sha256', p.exeSha256.toLowerCase());
    if (p.kernelThread) continue;
    if (p.exe) add('path', stripDeleted(p.exe));
    add('process-name', p.comm);
    add('process-name', basename(p.argv[0] ?? ''));
  }
  for (const e of facts.executables) {
    add('sha256', e.sha256.toLowerCase());
    add('path', e.path);
  }
  for (const b of facts.renamedBinaries) add('sha256', b.replacementSha256.toLowerCase());
  for (const f of facts.recentFiles) add('path', f.path);
  for (const entry of facts.ldPreload?.content.split(/\s+/) ?? []) add('path', entry);
  for (const f of facts.authorizedKeys) for (const k of f.keys) add('key-fingerprint', k.fingerprint);
  for (const a of facts.accounts) add('user', a.name);
  return [...keys];
}

/** Reduce a host's facts to its pivot index. */
export function pivotIndex(facts: HostFacts): PivotIndex {
  const text = searchText(facts);
  // lossless bytes both ways: host text with invalid UTF-8 must match exactly as matchIoc sees it
  return { z: deflateRawSync(encodeLossless(`${text.length}\n${text}${exactKeys(facts).join('')}\n`), { level: 1 }) };
}

/** Open an index once; the returned test says whether `ioc` may match on that host. */
export function openPivotIndex(index: PivotIndex): (ioc: Ioc) => boolean {
  const all = decodeLossless(inflateRawSync(index.z));
  const nl = all.indexOf('\n');
  const start = nl + 1;
  const end = start + Number(all.slice(0, nl));
  const text = all.slice(start, end);
  const keys = `${all.slice(end, -1)}\n`;
  const has = (type: string, value: string): boolean => keys.includes(`${key(type, value)}\n`);
  return (ioc) => {
    const v = ioc.value;
    switch (ioc.type) {
      case 'ip':
        return has('ip', v) || text.includes(v.toLowerCase());
      case 'domain':
      case 'url':
      case 'wallet':
        return text.includes(v.toLowerCase());
      case 'path':
        return has('path', v) || text.includes(v.toLowerCase());
      case 'sha256':
        return has('sha256', v.toLowerCase());
      case 'process-name':
      case 'key-fingerprint':
      case 'user':
        return has(ioc.type, v);
      case 'port':
        return true;
    }
  };
}
