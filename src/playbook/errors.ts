// Playbook errors point at file:line:column, say what was expected and what was found,
// and how to fix it. They are raised before anything runs on a host.

/** A place in a playbook (1-based line and column). */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export interface PlaybookErrorDetail {
  /** the cause, e.g. "unknown option `pth` for module file" */
  message: string;
  expected?: string;
  got?: string;
  fix?: string;
}

export const formatPos = (p: SourcePos): string => `${p.file}:${p.line}:${p.column}`;

/** A malformed playbook (or a value that cannot be templated): file:line:column, expected vs got, fix. */
export class PlaybookError extends Error {
  override name = 'PlaybookError';
  constructor(
    readonly pos: SourcePos | undefined,
    readonly detail: PlaybookErrorDetail,
  ) {
    super(
      [
        `${pos ? formatPos(pos) + ': ' : ''}${detail.message}`,
        detail.expected !== undefined ? `  expected: ${detail.expected}` : '',
        detail.got !== undefined ? `  got: ${detail.got}` : '',
        detail.fix !== undefined ? `  fix: ${detail.fix}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
}
