// The one error type of the inventory: where (file:line:column or host), what was
// expected versus what was found, and how to fix it.

export interface InventoryErrorWhere {
  file?: string;
  /** 1-based */
  line?: number;
  /** 1-based */
  column?: number;
  /** the host the error is about, when it is about one host's variables */
  host?: string;
}

export class InventoryError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly host?: string;
  /** the message without the location prefix */
  readonly detail: string;

  constructor(detail: string, where: InventoryErrorWhere = {}) {
    super(InventoryError.prefix(where) + detail);
    this.name = 'InventoryError';
    this.detail = detail;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.host = where.host;
  }

  /** the same error located in a file (used when a pure parser threw without knowing the file) */
  withFile(file: string): InventoryError {
    if (this.file) return this;
    return new InventoryError(this.detail, { file, line: this.line, column: this.column, host: this.host });
  }

  private static prefix(w: InventoryErrorWhere): string {
    let p = '';
    if (w.file) p = w.file + (w.line ? `:${w.line}` + (w.column ? `:${w.column}` : '') : '');
    else if (w.line) p = `line ${w.line}` + (w.column ? `:${w.column}` : '');
    if (w.host) p += (p ? ' ' : '') + `host ${w.host}`;
    return p ? p + ': ' : '';
  }
}
