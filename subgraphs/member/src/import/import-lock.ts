import type { EntityManager } from '@mikro-orm/postgresql';

/** The advisory-lock class of member imports (the first key of PostgreSQL's two-key form). */
export const IMPORT_LOCK_CLASS = 0x1f1ed;

/** A second import of the same member did not get its turn within the wait. */
export class ImportBusyError extends Error {
  readonly code = 'IMPORT_BUSY';
  constructor(
    readonly schema: string,
    readonly waitedMs: number,
  ) {
    super(`another import into this member's database (schema "${schema}") is still running after ${Math.round(waitedMs / 1000)} s; nothing was written. Run the import again once it has finished.`);
    this.name = 'ImportBusyError';
  }
}

/** The SQL that takes the member's import lock for the current transaction, without waiting. */
export const TRY_IMPORT_LOCK_SQL = 'select pg_try_advisory_xact_lock(?, hashtext(?)) as locked';

/**
 * Takes the member's import lock for the rest of the transaction (`pg_advisory_xact_lock`, keyed on
 * the member's schema), so imports of one member run one after the other and each one reads what
 * the previous one committed: two `--prune` imports never leave the union of their files.
 * It polls rather than blocks, so the wait is bounded, reported, and no statement outlives the
 * database's statement timeout. Released by PostgreSQL at commit or rollback, even if the process dies.
 */
export async function lockMemberImport(em: EntityManager, schema: string, opts: { waitMs: number; onProgress: (message: string) => void; pollMs?: number }): Promise<void> {
  const started = Date.now();
  let reported = -Infinity;
  for (;;) {
    const [row] = await em.execute<{ locked: boolean }[]>(TRY_IMPORT_LOCK_SQL, [IMPORT_LOCK_CLASS, schema]);
    if (row?.locked) return;
    const waited = Date.now() - started;
    if (waited >= opts.waitMs) throw new ImportBusyError(schema, waited);
    if (waited - reported >= 5_000) {
      opts.onProgress(`another import of this member is running: waiting for it (up to ${Math.round(opts.waitMs / 1000)} s)`);
      reported = waited;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(opts.pollMs ?? 200, opts.waitMs - waited)));
  }
}
