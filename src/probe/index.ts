// The probe: one POSIX sh script per host (script.ts), its output framing (records.ts),
// pure parsers per section (sections/), and the one I/O function probeHost (run-probe.ts).
export { execProbe, factsFromOutput, probeHost, type ProbeOptions, type RawProbe } from './run-probe.js';
export { buildScript, type ScriptOptions } from './script.js';
export { parseProbeOutput } from './parse-output.js';
export { sections } from './sections/index.js';
