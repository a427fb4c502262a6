import type { LabKey, Scenario, ScenarioContext } from '../types.js';
import { appendLine, backdate, cronLine, installEnabled, installUnit, writeFile } from '../kit.js';
import type { PlantedArtifact } from '../../types.js';

// Clean production-like hosts (false-positive traps, ground truth: zero findings): real
// services from Debian packages (nginx, PostgreSQL, an OpenJDK service on a port miners use),
// the crons such hosts carry (certificate renewal, database dumps, backups, downloads to a file
// then unpacked), a restricted backup key shared by the group, a legitimate systemd timer.
// Their files are dated back to when the host was built. All three are in group "prod".

const GROUP = ['prod'];
const BUILT = '2024-03-04 10:00';

/** The backup server's key: restricted to one address and one command, on every prod host. */
function backupKey(k: LabKey): string {
  return `from="10.20.0.5",command="/usr/local/sbin/backup-receive",no-pty,no-agent-forwarding,no-port-forwarding,no-X11-forwarding ${k.publicKey} backup@vault`;
}

function common(ctx: ScenarioContext): { plant: string[]; artifacts: PlantedArtifact[] } {
  const key = backupKey(ctx.keys.backup!);
  const receive = '#!/bin/sh\n# accepts one tarball from the backup server\nexec tar -xzf - -C /var/backups/incoming\n';
  return {
    plant: [
      appendLine('/root/.ssh/authorized_keys', key, '600'),
      writeFile('/usr/local/sbin/backup-receive', receive, '755'),
      'mkdir -p /var/backups/incoming',
      ...['/root/.ssh/authorized_keys', '/usr/local/sbin/backup-receive', '/root/.bashrc', '/root/.profile'].map((p) => backdate(p, BUILT)),
    ],
    artifacts: [{ kind: 'key', path: '/root/.ssh/authorized_keys', line: key, comment: 'backup@vault', fingerprint: ctx.keys.backup!.fingerprint, legitimate: true }],
  };
}

const cronD = (path: string, lines: string[]): string[] => [writeFile(path, `${lines.join('\n')}\n`), backdate(path, BUILT)];

export const prodWeb: Scenario = {
  name: 'prod-web',
  plan: (ctx) => {
    const c = common(ctx);
    const certbot = "0 */12 * * * root test -x /usr/bin/certbot -a \\! -d /run/systemd/system && perl -e 'sleep int(rand(43200))' && certbot -q renew";
    const geoip = '30 4 * * 3 root curl -fsSL -o /var/lib/geoip/GeoLite2-City.tar.gz https://download.example.invalid/geoip/GeoLite2-City.tar.gz && tar -xzf /var/lib/geoip/GeoLite2-City.tar.gz -C /var/lib/geoip';
    const upload = ['#!/bin/sh', 'set -e', 'day=$(date +%F)', 'tar -czf /var/backups/nginx-logs-$day.tar.gz /var/log/nginx', 'rsync -a --remove-source-files /var/backups/nginx-logs-$day.tar.gz backup@vault.internal:/srv/backups/web/', ''].join('\n');
    const service = ['[Unit]', 'Description=Upload nginx logs to the backup server', '', '[Service]', 'Type=oneshot', 'ExecStart=/usr/local/sbin/upload-logs', ''].join('\n');
    const timer = ['[Unit]', 'Description=Daily nginx log upload', '', '[Timer]', 'OnCalendar=*-*-* 03:40:00', 'Persistent=true', '', '[Install]', 'WantedBy=timers.target', ''].join('\n');
    return {
      family: null,
      groups: GROUP,
      plant: [
        ...c.plant,
        ...cronD('/etc/cron.d/certbot', ['SHELL=/bin/sh', 'PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin', certbot]),
        'mkdir -p /var/lib/geoip',
        ...cronD('/etc/cron.d/geoip-update', [geoip]),
        writeFile('/usr/local/sbin/upload-logs', upload, '755'),
        writeFile('/etc/systemd/system/logs-upload.service', service),
        ...installEnabled('/etc/systemd/system/logs-upload.timer', 'logs-upload.timer', timer, 'timers.target'),
        ...['/usr/local/sbin/upload-logs', '/etc/systemd/system/logs-upload.service', '/etc/systemd/system/logs-upload.timer'].map((p) => backdate(p, BUILT)),
        'mkdir -p /var/log/nginx /var/lib/nginx',
      ],
      start: ['/usr/sbin/nginx </dev/null >/dev/null 2>&1 || true'],
      artifacts: [
        ...c.artifacts,
        { kind: 'process', path: '/usr/sbin/nginx', comm: 'nginx', legitimate: true, note: 'nginx from the Debian package' },
        { kind: 'cron-line', path: '/etc/cron.d/certbot', line: certbot, legitimate: true },
        { kind: 'cron-line', path: '/etc/cron.d/geoip-update', line: geoip, legitimate: true, note: 'download to a file, then tar' },
        { kind: 'unit', path: '/etc/systemd/system/logs-upload.timer', name: 'logs-upload.timer', legitimate: true },
      ],
      expectFindings: false,
      respawnSeconds: null,
      binaries: [],
    };
  },
};

export const prodDb: Scenario = {
  name: 'prod-db',
  plan: (ctx) => {
    const c = common(ctx);
    const dump = '15 1 * * * postgres pg_dump -Fc appdb > /var/backups/postgres/appdb-$(date +\\%F).dump';
    const backup = '0 2 * * * /usr/local/sbin/backup.sh >> /var/log/backup.log 2>&1';
    const script = ['#!/bin/sh', 'set -e', 'tar -czf /var/backups/etc-$(date +%F).tar.gz /etc', 'find /var/backups -name "*.tar.gz" -mtime +14 -delete', 'find /var/backups/postgres -name "*.dump" -mtime +7 -delete', ''].join('\n');
    const pg = '/usr/lib/postgresql/15/bin';
    return {
      family: null,
      groups: GROUP,
      plant: [
        ...c.plant,
        'mkdir -p /var/backups/postgres /run/postgresql /var/lib/postgresql/lab && chown postgres:postgres /var/backups/postgres /run/postgresql /var/lib/postgresql/lab',
        `su postgres -s /bin/sh -c '${pg}/initdb -D /var/lib/postgresql/lab -U postgres -A peer >/dev/null'`,
        ...cronD('/etc/cron.d/pg-dump', [dump]),
        cronLine(backup),
        writeFile('/usr/local/sbin/backup.sh', script, '755'),
        backdate('/usr/local/sbin/backup.sh', BUILT),
      ],
      start: [`su postgres -s /bin/sh -c '${pg}/pg_ctl -D /var/lib/postgresql/lab -l /var/lib/postgresql/lab/log -o "-c listen_addresses=127.0.0.1 -k /run/postgresql" start >/dev/null' || true`],
      artifacts: [
        ...c.artifacts,
        { kind: 'process', path: `${pg}/postgres`, comm: 'postgres', legitimate: true, note: 'PostgreSQL 15 from the Debian package' },
        { kind: 'cron-line', path: '/etc/cron.d/pg-dump', line: dump, legitimate: true },
        { kind: 'cron-line', path: '/var/spool/cron/crontabs/root', line: backup, legitimate: true },
      ],
      expectFindings: false,
      respawnSeconds: null,
      binaries: [],
    };
  },
};

const JAVA = '/usr/lib/jvm/java-17-openjdk-amd64/bin/java';

/** A JVM service: listens on 3333 (its metrics port) and keeps a connection to it on the host's own address (outbound to a "miner port"). */
const RELAY = (upstream: string) => `import java.io.*; import java.net.*;
public class Relay {
  public static void main(String[] a) throws Exception {
    ServerSocket s = new ServerSocket(3333);
    java.util.List<Socket> open = new java.util.ArrayList<>();
    new Thread(() -> { while (true) { try { Socket c = s.accept(); c.getOutputStream().write("ok\\n".getBytes()); open.add(c); } catch (IOException e) { } } }).start();
    while (true) {
      try (Socket u = new Socket("${upstream}", 3333)) { u.getOutputStream().write("{\\"id\\":1,\\"method\\":\\"hello\\"}\\n".getBytes()); u.getInputStream().read(new byte[256]); Thread.sleep(3600000); } catch (Exception e) { }
      Thread.sleep(30000);
    }
  }
}
`;

export const prodApp: Scenario = {
  name: 'prod-app',
  plan: (ctx) => {
    const c = common(ctx);
    const argv = [JAVA, '-Xmx48m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '/opt/pricing/Relay.java'];
    const rates = '*/10 * * * * curl -fsS --retry 3 -o /var/lib/pricing/rates.json https://rates.example.invalid/v1/latest';
    const prune = "0 5 * * 0 /usr/bin/find /var/log/pricing -name '*.gz' -mtime +30 -delete";
    return {
      family: null,
      groups: GROUP,
      plant: [
        ...c.plant,
        'id app >/dev/null 2>&1 || useradd -r -m -d /var/lib/pricing -s /usr/sbin/nologin app',
        'mkdir -p /var/log/pricing /opt/pricing',
        writeFile('/opt/pricing/Relay.java', RELAY(ctx.address)),
        ...installUnit('/etc/systemd/system/pricing.service', 'pricing.service', argv.join(' ')),
        cronLine(rates, '/var/spool/cron/crontabs/app'),
        cronLine(prune, '/var/spool/cron/crontabs/app'),
        'chown app /var/spool/cron/crontabs/app',
        ...['/opt/pricing/Relay.java', '/etc/systemd/system/pricing.service'].map((p) => backdate(p, BUILT)),
      ],
      start: [`su app -s /bin/sh -c 'cd /var/lib/pricing && setsid ${argv.join(' ')} </dev/null >/dev/null 2>&1 &'`],
      artifacts: [
        ...c.artifacts,
        { kind: 'process', path: JAVA, comm: 'java', argv, legitimate: true, note: 'OpenJDK 17 service listening on 3333, connected to it from the host address' },
        { kind: 'cron-line', path: '/var/spool/cron/crontabs/app', line: rates, legitimate: true, note: 'download to a file' },
        { kind: 'cron-line', path: '/var/spool/cron/crontabs/app', line: prune, legitimate: true },
        { kind: 'unit', path: '/etc/systemd/system/pricing.service', name: 'pricing.service', legitimate: true },
      ],
      expectFindings: false,
      respawnSeconds: null,
      binaries: [],
    };
  },
};
