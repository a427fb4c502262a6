// Colours of the report, shared by the SVG charts and the stylesheet (kept in step by name).

export const STATE_COLOUR = {
  reinfected: '#7f0000',
  infected: '#c62828',
  suspicious: '#ef6c00',
  exposed: '#e0a800',
  cleaned: '#1565c0',
  closed: '#00838f',
  unreachable: '#8d8d8d',
  incomplete: '#b0a06a',
  clean: '#2e7d32',
} as const;

const FAMILY_COLOURS = ['#6a1b9a', '#d84315', '#00838f', '#ad1457', '#4e342e', '#283593', '#558b2f', '#ef6c00', '#37474f', '#00695c'];

/** A stable colour per family position. */
export function familyColour(index: number): string {
  return FAMILY_COLOURS[index % FAMILY_COLOURS.length]!;
}
