import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { HELPERS } from '../../../src/report/helpers.js';
import { Trusted } from '../../../src/report/trusted.js';

const hb = Handlebars.create();
for (const [k, f] of Object.entries(HELPERS)) hb.registerHelper(k, f);

describe('template helpers', () => {
  it('{{trusted}} emits only markup the report built, and refuses host text', () => {
    const t = hb.compile('{{trusted x}}');
    expect(t({ x: Trusted.fromBuilder('<svg></svg>') })).toBe('<svg></svg>');
    expect(() => t({ x: '<script>alert(1)</script>' })).toThrow(/did not build/);
    expect(() => t({ x: { markup: '<script>' } })).toThrow(/did not build/);
  });

  it('{{visible}} shows control characters and escapes markup, in text and attributes', () => {
    expect(hb.compile('<p title="{{visible x}}">{{visible x}}</p>')({ x: '"><script>\u001b[2J\n\udcff' })).toBe(
      '<p title="&quot;&gt;&lt;script&gt;\\e[2J\\n\\xff">&quot;&gt;&lt;script&gt;\\e[2J\\n\\xff</p>',
    );
  });

  it('{{list}} names a few and counts the rest', () => {
    expect(hb.compile('{{list xs 2}}')({ xs: ['a', 'b', 'c', 'd'] })).toBe('a, b and 2 more');
    expect(hb.compile('{{list xs}}')({ xs: ['a', '<b>'] })).toBe('a and &lt;b&gt;');
  });
});
