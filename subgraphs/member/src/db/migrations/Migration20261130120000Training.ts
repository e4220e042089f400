import { Migration } from '@mikro-orm/migrations';

/** Training and mentoring sessions (`modules/training/`). */
export class Migration20261130120000Training extends Migration {
  async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`create table ${s}."training" (
      "id" text primary key,
      "title" text not null,
      "description" jsonb not null default '{}',
      "languages" text[] not null default '{}',
      "format" text not null check ("format" in ('ONLINE','IN_PERSON')),
      "region" text null,
      "starts_at" timestamptz not null,
      "ends_at" timestamptz null check ("ends_at" is null or "ends_at" >= "starts_at"),
      "seats" integer null check ("seats" is null or "seats" > 0),
      "visibility" text not null check ("visibility" in ('PUBLIC','NETWORK','MEMBERS','OWNER')),
      "shared_with" text[] not null default '{}',
      "updated_at" timestamptz not null default now())`);
    this.addSql(`create index "training_visibility_idx" on ${s}."training" ("visibility")`);
    this.addSql(`create index "training_shared_with_idx" on ${s}."training" using gin ("shared_with")`);
    this.addSql(`create index "training_starts_at_idx" on ${s}."training" ("starts_at", "id")`);
  }

  async down(): Promise<void> {
    this.addSql(`drop table if exists "${this.config.get('schema')}"."training"`);
  }
}
