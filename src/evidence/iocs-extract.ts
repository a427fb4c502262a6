import type { Ioc } from '../findings/types.js';
import { inWritableLocation } from './paths.js';

// Indicators inside free text (argv, cron lines, ExecStart): URLs, their hosts, addresses,
// dropped paths. Only specific things: never a bare directory like /tmp.

const URL_RE = /\b(?:https?|ftp|tcp|stratum(?:2)?\+(?:tcp|ssl|tls|udp)):\/\/[^\s'"|;&<>()`\\]+/gi;
const IP_RE = /(?<![0-9.])(\d{1,3}(?:\.\d{1,3}){3})(?![0-9.])/g;
const PATH_RE = /(?:^|[\s'"=;|&(:])(\/[^\s'"|;&<>()`]+)/g;
// -o host:port / --url host:port as miners take them
const POOL_ARG_RE = /(?:^|\s)(?:-o|--url|--url=|-url)\s*=?\s*([a-z0-9.-]+\.[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3}):(\d{2,5})/gi;

// big shared hosting: the exact URL is an indicator, the whole domain is not
const SHARED_DOMAINS = ['github.com', 'githubusercontent.com', 'gitlab.com', 'bitbucket.org', 'amazonaws.com', 'googleapis.com', 'cloudfront.net', 'debian.org', 'ubuntu.com'];

export function isUsableIp(ip: string): boolean {
  const o = ip.split('.').map(Number);
  if (o.length !== 4 || o.some((x) => x > 255)) return false;
  return !(o[0] === 127 || o[0] === 0 || o[0]! >= 224 || (o[0] === 169 && o[1] === 254));
}

export function hostOfUrl(url: string): string | null {
  const m = /^[a-z0-9+.-]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url);
  return m ? m[1]!.toLowerCase() : null;
}

function addHost(out: Ioc[], host: string): void {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) {
    if (isUsableIp(host)) out.push({ type: 'ip', value: host });
  } else if (host.includes('.') && !SHARED_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`))) out.push({ type: 'domain', value: host });
}

/** Indicators in a line of text, de-duplicated. */
export function extractIocs(text: string): Ioc[] {
  const out: Ioc[] = [];
  for (const m of text.matchAll(URL_RE)) {
    const url = m[0].replace(/[.,]+$/, '');
    out.push({ type: 'url', value: url });
    const host = hostOfUrl(url);
    if (host) addHost(out, host);
  }
  for (const m of text.matchAll(POOL_ARG_RE)) addHost(out, m[1]!.toLowerCase());
  for (const m of text.matchAll(IP_RE)) if (isUsableIp(m[1]!)) out.push({ type: 'ip', value: m[1]! });
  for (const m of text.matchAll(PATH_RE)) {
    const p = m[1]!.replace(/[.,]+$/, '');
    if (!p.startsWith('//') && inWritableLocation(p) && !p.endsWith('/') && p.split('/').length > 2) out.push({ type: 'path', value: p });
  }
  return dedupeIocs(out);
}

export function dedupeIocs(iocs: Ioc[]): Ioc[] {
  const seen = new Set<string>();
  return iocs.filter((i) => {
    const k = `${i.type}\0${i.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
