/** The database refused an import; the message names a constraint, table or column at most. */
export class ImportDatabaseError extends Error {
  readonly code = 'IMPORT_FAILED';
  constructor(
    message: string,
    readonly sqlState?: string,
  ) {
    super(`the import was rolled back, nothing was written: ${message}`);
    this.name = 'ImportDatabaseError';
  }
}

interface DriverFields {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  message?: unknown;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/** A quoted identifier from the driver, or nothing if it does not look like one. */
function ident(kind: string, value: unknown): string | undefined {
  return typeof value === 'string' && IDENTIFIER.test(value) ? `${kind} "${value}"` : undefined;
}

/**
 * Maps a driver error to a clean message: what kind of refusal, and which constraint, table or
 * column, never the SQL statement or a data value (the driver's own message carries both: a
 * failed INSERT prints every value of the batch).
 */
export function describeDatabaseError(err: unknown): ImportDatabaseError {
  const e = (err ?? {}) as DriverFields;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const where = [ident('constraint', e.constraint), ident('column', e.column), ident('table', e.table)].filter(Boolean).join(' on ');
  const at = where ? ` (${where})` : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (code === '23505') return new ImportDatabaseError(`a record conflicts with one already stored${at}`, code);
  if (code === '23503') return new ImportDatabaseError(`a record refers to one that does not exist${at}`, code);
  if (code === '23502') return new ImportDatabaseError(`a required value is missing${at}`, code);
  if (code === '23514') return new ImportDatabaseError(`a value breaks a rule of the database${at}`, code);
  if (code?.startsWith('22')) return new ImportDatabaseError(`a value does not fit its column${at} (SQLSTATE ${code})`, code);
  if (code === '40001' || code === '40P01') return new ImportDatabaseError('it conflicted with a concurrent change; run it again', code);
  if (code === '57014') return new ImportDatabaseError("a statement ran past the database's statement timeout", code);
  if (code === '55P03') return new ImportDatabaseError('a lock was not granted in time', code);
  if (
    code?.startsWith('08') ||
    code?.startsWith('57P') ||
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|Query read timeout|timeout expired|Timeout acquiring a connection/.test(`${code ?? ''} ${message}`)
  ) {
    return new ImportDatabaseError('the database is unavailable or does not answer', code);
  }
  return new ImportDatabaseError(`the database refused it${code && /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : ''}${at}`, code);
}
