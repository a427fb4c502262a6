import type { PlantedArtifact } from '../types.js';

/** A public key generated for the lab (rogue keys planted by scenarios). */
export interface LabKey {
  /** "ssh-ed25519 AAAA…" without comment */
  publicKey: string;
  fingerprint: string;
}

/** What a scenario knows when it plans one host. */
export interface ScenarioContext {
  host: string;
  address: string;
  pool: string;
  /** base URL of the pool's HTTP server */
  http: string;
  /** how many hosts before this one got the same scenario */
  instance: number;
  /** sha256 of each family's fake-miner binary */
  sha256: (family: string) => string;
  /** rogue keys by purpose (outlaw, cleanfda, hostile) */
  keys: Record<string, LabKey>;
  c2Domain: string;
}

/** What a scenario does to one host; the lab turns it into the host's setup script. */
export interface ScenarioPlan {
  family: string | null;
  /** sh lines run in the host before sshd and cron start (files, users, firewall) */
  plant: string[];
  /** sh lines run after sshd and cron started (processes) */
  start: string[];
  artifacts: PlantedArtifact[];
  expectFindings: boolean;
  respawnSeconds: number | null;
  /** the families whose binaries the host needs at /run/lab/bin/<family> */
  binaries: string[];
  /** files the pool's HTTP server serves (path below / → content) */
  www?: Record<string, string>;
  /** inventory groups for the host (default: round-robin web/db/cache) */
  groups?: string[];
  /** where the scenario comes from: public write-ups it is modelled on (URL and title) */
  sources?: Array<{ url: string; title: string }>;
}

export interface Scenario {
  name: string;
  plan(ctx: ScenarioContext): ScenarioPlan;
}
