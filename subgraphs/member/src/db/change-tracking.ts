/**
 * The SQL that makes one record table keep server-set timestamps and write the member's change
 * log. Every kind's migration calls `trackChangesSql` for its table(s); `test/changes/` checks
 * that every table of every kind in RECORD_KINDS carries the trigger.
 *
 * The trigger, not the application, is the authority, so no write path can bypass it (the API,
 * `member import` and its `--prune`, a manual SQL fix):
 * - `created_at` is set on insert and never changes; `updated_at` moves only when a column
 *   other than the timestamps changed (an import that rewrites identical rows changes nothing);
 *   neither is ever taken from what the writer sent;
 * - every real change appends one row to `record_change` with the record's visibility and
 *   `shared_with` before and after, so the feed can decide per caller whether it saw the record
 *   before, sees it now, or never could (see changes/change-log.ts);
 * - rows get their sequence number under a transaction-scoped advisory lock, so sequence order is
 *   commit order: a reader that has seen sequence n will never later find a committed row below n.
 */
export const CHANGE_TRIGGER_FUNCTION = 'infrared_record_change';

/** The change log, its bookkeeping row and the trigger function (once per member schema). */
export function changeLogSql(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `create table ${s}."record_change" (
      "seq" bigserial primary key,
      "kind" text not null,
      "record_id" text not null,
      "operation" text not null check ("operation" in ('UPSERT', 'REMOVE')),
      "at" timestamptz not null,
      "visibility_before" text null,
      "shared_with_before" text[] null,
      "visibility_after" text null,
      "shared_with_after" text[] null)`,
    `create index "record_change_at_idx" on ${s}."record_change" ("at")`,
    `create table ${s}."change_feed_state" (
      "id" int primary key check ("id" = 1),
      "purged_through" bigint not null default 0,
      "cursor_key" text null)`,
    `insert into ${s}."change_feed_state" ("id") values (1)`,
    `create function ${s}."${CHANGE_TRIGGER_FUNCTION}"() returns trigger language plpgsql as $fn$
declare
  record_kind text := TG_ARGV[0];
  id_column text := TG_ARGV[1];
  old_row jsonb;
  new_row jsonb;
begin
  if TG_OP = 'INSERT' then
    NEW.created_at := now();
    NEW.updated_at := now();
    new_row := to_jsonb(NEW);
  elsif TG_OP = 'UPDATE' then
    NEW.created_at := OLD.created_at;
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    if (new_row - 'created_at' - 'updated_at') = (old_row - 'created_at' - 'updated_at') then
      NEW.updated_at := OLD.updated_at;
      return NEW;
    end if;
    NEW.updated_at := now();
    if (old_row ->> id_column) is distinct from (new_row ->> id_column) then
      raise exception 'a record''s id cannot change (% %)', record_kind, old_row ->> id_column;
    end if;
  else
    old_row := to_jsonb(OLD);
  end if;
  perform pg_advisory_xact_lock(hashtext(TG_TABLE_SCHEMA || '.record_change'));
  insert into ${s}."record_change" ("kind", "record_id", "operation", "at", "visibility_before", "shared_with_before", "visibility_after", "shared_with_after")
  values (
    record_kind,
    coalesce(new_row, old_row) ->> id_column,
    case when TG_OP = 'DELETE' then 'REMOVE' else 'UPSERT' end,
    now(),
    old_row ->> 'visibility',
    case when old_row is null then null else array(select jsonb_array_elements_text(old_row -> 'shared_with')) end,
    new_row ->> 'visibility',
    case when new_row is null then null else array(select jsonb_array_elements_text(new_row -> 'shared_with')) end);
  if TG_OP = 'DELETE' then
    return OLD;
  end if;
  return NEW;
end
$fn$`,
  ];
}

/**
 * Timestamps and change tracking for one record table: `kind` is the kind's RecordKind value
 * (e.g. `SERVICE`), `idColumn` the column that holds its local id. Existing rows get the time of
 * the migration as their creation time (the real one was never kept).
 */
export function trackChangesSql(schema: string, table: string, kind: string, idColumn = 'id', hasUpdatedAt = true): string[] {
  const t = `"${schema}"."${table}"`;
  return [
    `alter table ${t} add column "created_at" timestamptz not null default now()`,
    ...(hasUpdatedAt ? [] : [`alter table ${t} add column "updated_at" timestamptz not null default now()`]),
    `create trigger "${table}_record_change" before insert or update or delete on ${t}
      for each row execute function "${schema}"."${CHANGE_TRIGGER_FUNCTION}"('${kind}', '${idColumn}')`,
  ];
}
