import type { Scenario } from './types.js';
import { startProcess, writeFile } from './kit.js';
import { clean } from './clean.js';

const JAVA = '/usr/lib/jvm/java-17-openjdk-amd64/bin/java';

/** A service loop that keeps MS_LAB_BURN percent of one CPU busy (0: it only sleeps). */
const ORDERS = `public class Orders {
  public static void main(String[] a) throws Exception {
    int burn = Integer.parseInt(System.getenv().getOrDefault("MS_LAB_BURN", "0"));
    while (true) {
      if (burn <= 0) { Thread.sleep(5000); continue; }
      long end = System.nanoTime() + burn * 1000000L;
      while (System.nanoTime() < end) { }
      Thread.sleep(100 - burn);
    }
  }
}
`;

/**
 * A legitimate Java service at high CPU: the packaged OpenJDK binary, unmodified, running a
 * service from /opt (a false-positive trap for CPU, a JVM's argv and package integrity alike).
 */
export const busy: Scenario = {
  name: 'clean-busy',
  plan: (ctx) => {
    const base = clean.plan(ctx);
    const argv = [JAVA, '-Xmx32m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '/opt/orders/Orders.java', '--server.port=8081'];
    const burn = ctx.instance === 0 ? '40' : '0';
    return {
      ...base,
      plant: [...base.plant, writeFile('/opt/orders/Orders.java', ORDERS)],
      start: [startProcess(argv, { MS_LAB_BURN: burn })],
      artifacts: [...base.artifacts, { kind: 'process', path: JAVA, comm: 'java', argv, role: 'other', note: `legitimate java (OpenJDK 17 as packaged), burns ${burn}% CPU`, legitimate: true }],
      binaries: [],
    };
  },
};
