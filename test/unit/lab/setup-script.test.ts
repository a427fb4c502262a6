import { describe, expect, it } from 'vitest';
import { fixtureLab, key } from './lab-fixture.js';
import { setupScript, sshdConfig } from '../../../src/lab/setup-script.js';


describe('lab setup script', () => {
  const lab = fixtureLab();
  it('quotes every planted value in the setup script (hostile names stay one word)', () => {
    const hostile = lab.hosts.find((h) => h.scenario === 'hostile')!;
    const script = setupScript(lab, hostile, { controllerKey: key.publicKey, opsPassword: "p'w", node: '/usr/bin/node' });
    expect(script).toContain(`'/etc/cron.d/upd $(touch /tmp/pwned) '\\''q'\\'' "dq"\nnl'`);
    expect(script).toContain(`'ops:p'\\''w'`);
    expect(sshdConfig(['198.18.4.11', '198.18.104.1'])).toMatch(/ListenAddress 198\.18\.4\.11:22\nListenAddress 198\.18\.104\.1:22\n/);
  });
});
