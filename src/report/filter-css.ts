// CSS-only filters (no script): one radio per state / group / family before the host list;
// `#ID:checked ~ .host-list .host:not(.CLASS)` hides the rest. Ids and classes are built from
// indexes only, never from host text, so nothing from a host reaches the stylesheet.

export interface FilterDim {
  /** radio name and id/class prefix: fs (state), fg (group), ff (family) */
  prefix: 'fs' | 'fg' | 'ff';
  /** host class prefix: s, g, f */
  cls: 's' | 'g' | 'f';
  count: number;
}

/** The rules for every option of every filter dimension. */
export function filterCss(dims: FilterDim[]): string {
  const hide: string[] = [];
  const active: string[] = [];
  for (const d of dims) {
    active.push(`#${d.prefix}-all:checked~.filters label[for="${d.prefix}-all"]`);
    for (let i = 0; i < d.count; i++) {
      hide.push(`#${d.prefix}-${i}:checked~.host-list .host:not(.${d.cls}-${i}){display:none}`);
      active.push(`#${d.prefix}-${i}:checked~.filters label[for="${d.prefix}-${i}"]`);
    }
  }
  return [...hide, `${active.join(',\n')}{background:#0b3d91;color:#fff;border-color:#0b3d91}`].join('\n');
}
