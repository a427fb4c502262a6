import type { ProbeSection } from '../section.js';
import { accountsSection } from './accounts.js';
import { cronSection } from './cron.js';
import { hostSection } from './host.js';
import { initScriptsSection } from './init-scripts.js';
import { integritySection } from './integrity.js';
import { iptablesSection } from './iptables.js';
import { knownPathsSection } from './known-paths.js';
import { markersSection } from './markers.js';
import { ldPreloadSection } from './ld-preload.js';
import { processesSection } from './processes.js';
import { profilesSection } from './profiles.js';
import { recentFilesSection } from './recent-files.js';
import { redisSection } from './redis.js';
import { renamedBinariesSection } from './renamed-binaries.js';
import { socketsSection } from './sockets.js';
import { sshSection } from './ssh.js';
import { sudoersSection } from './sudoers.js';
import { unitsSection } from './units.js';

/**
 * Sections in script order, which is also parse order: host (clock) and accounts (user and
 * group names) first, processes before sockets (process names), sockets before redis.
 */
export const sections: ProbeSection[] = [
  hostSection,
  accountsSection,
  processesSection,
  socketsSection,
  cronSection,
  unitsSection,
  initScriptsSection,
  profilesSection,
  ldPreloadSection,
  sudoersSection,
  sshSection,
  renamedBinariesSection,
  integritySection,
  redisSection,
  iptablesSection,
  knownPathsSection,
  markersSection,
  recentFilesSection,
];
