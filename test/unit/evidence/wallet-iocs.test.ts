import { describe, expect, it } from 'vitest';
import { extractIocs } from '../../../src/evidence/iocs-extract.js';
import { WALLET } from '../../../src/lab/scenarios/kit.js';

// Wallet addresses as IOCs: Monero standard (95) and integrated (106) addresses anywhere in
// the text, and wallet-looking -u / --user / "user": values; emails and worker names are not.
const wallets = (text: string) => extractIocs(text).filter((i) => i.type === 'wallet').map((i) => i.value);
const INTEGRATED = '4' + 'A' + 'x'.repeat(104);

describe('wallet IOCs', () => {
  it('a standard Monero address in a miner argv, a cron line and a JSON config', () => {
    expect(WALLET).toHaveLength(95);
    expect(wallets(`/tmp/.x/xmrig -o stratum+tcp://pool.example:3333 -u ${WALLET} -p x`)).toEqual([WALLET]);
    expect(wallets(`* * * * * /tmp/kdevtmpfsi --user=${WALLET}.rig1 >/dev/null`)).toEqual([WALLET]);
    expect(wallets(JSON.stringify({ pools: [{ url: 'pool.example:3333', user: WALLET }] }))).toEqual([WALLET]);
  });
  it('a 106-character integrated address', () => {
    expect(wallets(`miner -u ${INTEGRATED}`)).toEqual([INTEGRATED]);
  });
  it('not a wrong-length address, an email, a short worker name or a plain word', () => {
    expect(wallets(`x ${WALLET}AB`)).toEqual([]);
    expect(wallets('xmrig -o pool.example:3333 -u someone@example.com -p x')).toEqual([]);
    expect(wallets('xmrig -o pool.example:3333 -u cleanfda')).toEqual([]);
    expect(wallets('xmrig -u worker01 --user rig-7')).toEqual([]);
  });
  it('a long -u value with digits that is not Monero (another coin) counts', () => {
    const eth = '0x52bc44d5378309ee2abf1539bf71de1b7d7be3b5';
    expect(wallets(`t-rex -u ${eth}.w1`)).toEqual([eth]);
  });
});
