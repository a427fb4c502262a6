import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

// The --json stream as a consumer reads it: every stdout line one JSON object, each valid
// against the documented schema (src/report/jsonl.schema.json, checked by ajv, a real JSON
// Schema 2020-12 validator), a `run` line first and a `summary` line last.

const schemaFile = path.resolve(import.meta.dirname, '../../src/report/jsonl.schema.json');
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, validateFormats: false }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);

/** A line of the stream, loosely typed for assertions. */
export type Line = Record<string, unknown> & { type: string; host?: string; status?: string; stage?: string; reason?: string };

/** stdout → its lines; throws on a line that is not JSON (under --json nothing else may reach stdout). */
export function jsonLines(stdout: string): Line[] {
  return stdout.split('\n').filter((l) => l !== '').map((l, i) => {
    try {
      return JSON.parse(l) as Line;
    } catch {
      throw new Error(`stdout line ${i + 1} is not JSON: ${l.slice(0, 200)}`);
    }
  });
}

/** Why each line that does not validate fails (empty when all do). */
export function invalidLines(lines: readonly unknown[]): string[] {
  return lines.flatMap((l) => (validate(l) ? [] : [`${JSON.stringify(l).slice(0, 200)}: ${JSON.stringify(validate.errors)}`]));
}

/** Whether one object is a valid line. */
export const isValidLine = (l: unknown): boolean => validate(l);

/**
 * The whole stream of one command: every line valid, `run` (of `command`) first, `summary` last
 * with the process's exit code. Returns the lines.
 */
export function checkStream(stdout: string, command: string, exitCode: number | null): { lines: Line[]; problems: string[] } {
  const lines = jsonLines(stdout);
  const problems = invalidLines(lines);
  const first = lines[0];
  const last = lines.at(-1);
  if (first?.type !== 'run' || first['command'] !== command) problems.push(`first line is not the run line of ${command}: ${JSON.stringify(first)?.slice(0, 200)}`);
  if (last?.type !== 'summary' || last['exitCode'] !== exitCode) problems.push(`last line is not a summary with exit code ${exitCode}: ${JSON.stringify(last)?.slice(0, 200)}`);
  if (lines.filter((l) => l.type === 'run' || l.type === 'summary').length !== 2) problems.push('more than one run or summary line');
  return { lines, problems };
}

/** The host lines of a stream, by host name (the last line of each host). */
export function hostLines(lines: readonly Line[]): Map<string, Line> {
  return new Map(lines.filter((l) => l.type === 'host').map((l) => [l.host!, l]));
}

/** The host lines of a command's --json stdout, in the order written; throws when its stream does not check (checkStream). */
export function validHostLines(r: { command: string; code: number | null; stdout: string }): Line[] {
  const { lines, problems } = checkStream(r.stdout, r.command, r.code);
  if (problems.length) throw new Error(`${r.command} --json (exit ${r.code}):\n${problems.join('\n')}`);
  return lines.filter((l) => l.type === 'host');
}
