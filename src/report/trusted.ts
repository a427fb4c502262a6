import { escapeForTerminal } from '../core/terminal.js';

// The only markup the templates may emit unescaped: strings this module's builders made
// (SVG charts, the stylesheet). Host text is never wrapped in Trusted; it goes through
// escapeText first wherever a builder embeds it.

/** Markup built by the report itself. The template helper `{{trusted x}}` emits only these. */
export class Trusted {
  private constructor(readonly markup: string) {}
  /** Only for markup built in src/report from escaped parts. */
  static fromBuilder(markup: string): Trusted {
    return new Trusted(markup);
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;' };

/** Host text → safe text for HTML/SVG content and attribute values: control chars made visible, markup escaped. */
export function escapeText(s: string): string {
  return escapeForTerminal(String(s)).replace(/[&<>"'`=]/g, (c) => ENTITIES[c]!);
}

/** Host text made visible (control characters, bidi overrides, raw bytes as escapes), not yet HTML-escaped. */
export function visible(s: string): string {
  return escapeForTerminal(String(s));
}
