import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../../src/report/model.js';
import { loadPrecompiled, templateSources, writePrecompiled } from '../../../src/report/precompiled.js';
import { renderHtml, reportTemplate } from '../../../src/report/render.js';
import { hostileRun } from '../../fixtures/runs/hostile-run.js';

// Templates precompiled at build time render exactly what compiling them at run time renders,
// and are ignored as soon as a template source changes.
describe('precompiled report templates', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ms-hbs-')), 'templates.precompiled.cjs');
  const sources = templateSources();
  writePrecompiled(sources, file);

  it('render byte for byte like the runtime compiler (hostile run)', () => {
    const pre = loadPrecompiled(sources, file);
    expect(pre).not.toBeNull();
    const m = buildReportModel(hostileRun());
    const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '../../../templates/report');
    expect(renderHtml(m, reportTemplate(dir, pre))).toBe(renderHtml(m, reportTemplate(dir, null)));
  });

  it('are not used for sources they were not built from', () => {
    expect(loadPrecompiled({ ...sources, hash: 'edited' }, file)).toBeNull();
    expect(loadPrecompiled(sources, path.join(tmpdir(), 'no-such-file.cjs'))).toBeNull();
  });
});
