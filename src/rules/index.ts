import type { Rule } from './types.js';
import { knownMinerName } from './process/known-miner-name.js';
import { exeInWritableDir } from './process/exe-in-writable-dir.js';
import { deletedExe } from './process/deleted-exe.js';
import { highCpuSuspiciousExe } from './process/high-cpu-suspicious-exe.js';
import { kernelThreadImpostor } from './process/kernel-thread-impostor.js';
import { minerArgv } from './process/miner-argv.js';
import { hiddenProcess } from './process/hidden.js';
import { preloadNonEmpty } from './preload/non-empty.js';
import { envLdPreload } from './preload/env-ld-preload.js';
import { minerPortConnection } from './net/miner-port-connection.js';
import { c2Connection } from './net/c2-connection.js';
import { poolDomain } from './net/pool-domain.js';
import { cronDownloadPipeShell } from './cron/download-pipe-shell.js';
import { cronBase64Blob } from './cron/base64-blob.js';
import { cronExecFromWritableDir } from './cron/exec-from-writable-dir.js';
import { cronKnownFamily } from './cron/known-family.js';
import { unitExecFromWritableDir } from './unit/exec-from-writable-dir.js';
import { unitKnownFamily } from './unit/known-family.js';
import { initSuspiciousRc } from './host/init-suspicious-rc.js';
import { profileSuspiciousLine } from './host/profile-suspicious-line.js';
import { immutablePersistence } from './host/immutable-persistence.js';
import { renamedSystemTool } from './host/renamed-system-tool.js';
import { hostsPoolDomain } from './host/hosts-pool-domain.js';
import { rootkitModule } from './host/rootkit-module.js';
import { knownIndicator } from './host/known-indicator.js';
import { uid0NonRoot } from './access/uid0-non-root.js';
import { backdoorUser } from './access/backdoor-user.js';
import { emptyPassword } from './access/empty-password.js';
import { keyKnownMalicious } from './access/key-known-malicious.js';
import { keyUnknown } from './access/key-unknown.js';
import { redisOpen } from './exposure/redis-open.js';
import { firewallDatastoreOpen } from './exposure/firewall-datastore-open.js';
import { dockerApiExposed } from './exposure/docker-api.js';
import { knownFamilyPath } from './file/known-family-path.js';
import { hostsIocEntry } from './host/hosts-ioc-entry.js';
import { modifiedPackageFile } from './integrity/modified-package-file.js';
import { systemDirFile } from './integrity/system-dir-file.js';
import { unownedSystemBinary } from './process/unowned-system-binary.js';
import { persistenceRunsUntrusted } from './persistence/runs-untrusted.js';
import { killsCompetitors } from './persistence/kills-competitors.js';
import { startsFlaggedUnit } from './persistence/starts-flagged-unit.js';
import { sudoersGrant } from './access/sudoers-grant.js';
import { keyJudged } from './access/key-judged.js';
import { minerConfig } from './file/miner-config.js';

/** Every rule, in the order findings are listed. */
export const RULES: Rule[] = [
  knownMinerName,
  minerArgv,
  poolDomain,
  kernelThreadImpostor,
  exeInWritableDir,
  deletedExe,
  highCpuSuspiciousExe,
  hiddenProcess,
  minerPortConnection,
  c2Connection,
  preloadNonEmpty,
  envLdPreload,
  cronKnownFamily,
  cronDownloadPipeShell,
  cronBase64Blob,
  cronExecFromWritableDir,
  unitKnownFamily,
  unitExecFromWritableDir,
  initSuspiciousRc,
  profileSuspiciousLine,
  renamedSystemTool,
  knownFamilyPath,
  minerConfig,
  modifiedPackageFile,
  systemDirFile,
  unownedSystemBinary,
  persistenceRunsUntrusted,
  killsCompetitors,
  hostsPoolDomain,
  rootkitModule,
  uid0NonRoot,
  backdoorUser,
  emptyPassword,
  keyKnownMalicious,
  keyJudged,
  sudoersGrant,
  redisOpen,
  firewallDatastoreOpen,
  dockerApiExposed,
  // phase 2: need the findings above
  knownIndicator,
  hostsIocEntry,
  keyUnknown,
  immutablePersistence,
  startsFlaggedUnit,
];
