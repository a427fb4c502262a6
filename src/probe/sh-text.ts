// Tag for sh snippets written in TypeScript: the text is taken raw (backslashes stay as
// written, so '\n' reaches printf), and `\${` — the only escape JavaScript forces on us —
// becomes `${` again.
export function shText(strings: TemplateStringsArray): string {
  return strings.raw.join('').replace(/\\\$\{/g, '${');
}
