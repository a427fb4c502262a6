import type { Rule } from '../types.js';
import { cronLineArtifact, lineFindings } from './cron-lines.js';

/** A cron line that decodes or carries a base64 blob. */
export const cronBase64Blob: Rule = {
  id: 'cron.base64-blob',
  run: (facts, ctx) =>
    lineFindings(facts, facts.cron, ctx, {
      rule: 'cron.base64-blob',
      severity: 'high',
      reasons: ['base64-blob'],
      title: (f, n) => `Cron runs an encoded payload (${f.path} line ${n})`,
      artifact: cronLineArtifact,
      remedy: 'Decode the blob into the evidence, then remove the line.',
    }),
};
