import { describe, expect, it } from 'vitest';
import { filterCss } from '../../../src/report/filter-css.js';

describe('filterCss', () => {
  it('hides non-matching hosts for each radio and highlights the active label, from indexes only', () => {
    const css = filterCss([
      { prefix: 'fs', cls: 's', count: 2 },
      { prefix: 'fg', cls: 'g', count: 1 },
    ]);
    expect(css).toContain('#fs-1:checked~.host-list .host:not(.s-1){display:none}');
    expect(css).toContain('#fg-0:checked~.host-list .host:not(.g-0){display:none}');
    expect(css).toContain('#fs-all:checked~.filters label[for="fs-all"]');
    expect(css).toMatch(/^[#\w\-:~. ()"=[\]{},;\n]+$/); // nothing but selectors built from ids
  });
});
