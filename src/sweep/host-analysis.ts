import type { HostFacts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import { incompleteSections } from '../findings/verdict.js';
import { pivotIndex, type PivotIndex } from '../pivot/pivot-index.js';
import { factsFromOutput, type RawProbe } from '../probe/run-probe.js';
import { analyzeHost, trustedKeySet, type AnalyzeOptions } from '../rules/analyze-host.js';
import { fleetSignature, type FleetSignature } from '../rules/fleet/stacking.js';
import { writeHostEvidence } from '../run/evidence.js';
import { readHostFacts, writeHostFacts } from '../run/run-dir.js';
import { iocFindings, type FleetIoc } from '../evidence/ioc-findings.js';
import { attribute } from '../rules/attribute.js';

/** Where one host's analysis writes, and with what it judges. Plain data (it crosses to a worker). */
export interface HostAnalysisSetup {
  analyze: AnalyzeOptions;
  /** facts/<host>.json.gz goes here (the run dir or a spill dir) */
  spill?: string;
  /** evidence/<host>/ goes here */
  runDir?: string;
  /** hand the facts back (harden plans from them); else only the pivot index */
  keepFacts?: boolean;
}

/** What the sweep keeps of one host once its probe and rules are done. */
export interface HostAnalysis {
  findings: Finding[];
  /** probe sections that did not finish */
  incomplete: string[];
  /** what fleet stacking compares across the host's group */
  signature: FleetSignature;
  /** absent when the facts are handed back (keepFacts) */
  index?: PivotIndex;
  facts?: HostFacts;
  /** rules that threw, as messages */
  errors: string[];
}

const trustedSets = new WeakMap<AnalyzeOptions, Set<string>>();

/** One host, from its probe's output (parsed here) or its facts: rules, facts and evidence written, pivot index. */
export function analyzeOne(input: RawProbe | HostFacts, setup: HostAnalysisSetup): HostAnalysis {
  const facts = 'stdout' in input ? factsFromOutput(input) : input;
  let trusted = trustedSets.get(setup.analyze);
  if (!trusted) trustedSets.set(setup.analyze, (trusted = trustedKeySet(setup.analyze)));
  const { findings, errors } = analyzeHost(facts, setup.analyze, trusted);
  if (setup.spill) writeHostFacts(setup.spill, facts);
  if (setup.runDir) writeHostEvidence(setup.runDir, facts, findings);
  // the probe's own list (errors and bounds hit), else what meta.errors says
  const incomplete = facts.meta.incomplete ?? facts.incomplete ?? incompleteSections(facts.meta);
  return { findings, incomplete, signature: fleetSignature(facts), errors, ...(setup.keepFacts ? { facts } : { index: pivotIndex(facts) }) };
}

/** One host's share of the fleet pivot: the indicators from elsewhere that may be on it, and its findings so far. */
export interface PivotJob {
  host: string;
  candidates: FleetIoc[];
  findings: Finding[];
}

/**
 * The pivot on one host: its findings with what the indicators found in `facts`
 * (re-attributed, evidence rewritten), or null when they found nothing.
 */
export function pivotFacts(facts: HostFacts, job: PivotJob, runDir?: string): Finding[] | null {
  const found = iocFindings(facts, job.candidates, job.findings);
  if (!found.length) return null;
  const findings = attribute(facts, [...job.findings, ...found]);
  if (runDir) writeHostEvidence(runDir, facts, findings);
  return findings;
}

/** The pivot on one host whose facts wait in the spill dir (null: no facts there, or nothing found). */
export function pivotOne(job: PivotJob, setup: HostAnalysisSetup): Finding[] | null {
  const facts = setup.spill ? readHostFacts(setup.spill, job.host) : null;
  return facts ? pivotFacts(facts, job, setup.runDir) : null;
}
