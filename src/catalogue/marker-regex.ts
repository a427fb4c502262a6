import type { Catalogue } from './types.js';

// What the probe's markers section greps small files for: the catalogue's miner markers and
// pool domains as one POSIX extended regular expression, plus miner config keys and the shape
// of a Monero wallet. Pure.

const esc = (s: string): string => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/** Config-file forms of the miner options (JSON keys of xmrig-like configs). */
export const CONFIG_MARKERS = ['"donate-level"', '"donate-over-proxy"', '"randomx"', '"nicehash"', '"rig-id"', '"coin": "monero"', '"algo": "rx/0"', '"algo": "cn/r"'];
/** A Monero address: 95 base58 characters starting with 4 (8: subaddress), 106 when integrated. */
export const WALLET_ERE = '[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93,104}';

export function markerRegex(cat: Catalogue): string {
  const texts = [...new Set([...cat.minerMarkers.map((m) => m.text), ...CONFIG_MARKERS, ...cat.poolDomains])].filter((t) => t.length >= 6);
  return [...texts.map(esc), WALLET_ERE].join('|');
}
