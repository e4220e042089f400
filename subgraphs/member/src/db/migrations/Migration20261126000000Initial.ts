import { Migration } from '@mikro-orm/migrations';

/** Services, capacity and projects, in the member's own schema. */
export class Migration20261126000000Initial extends Migration {
  async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`create table ${s}."service" (
      "id" text primary key,
      "name" text not null,
      "kind" text not null,
      "description" jsonb not null default '{}',
      "languages" text[] not null default '{}',
      "regions" text[] not null default '{}',
      "url" text null,
      "software" text null,
      "status" text not null,
      "accepting_users" boolean not null,
      "visibility" text not null check ("visibility" in ('PUBLIC','NETWORK','MEMBERS','OWNER')),
      "shared_with" text[] not null default '{}',
      "updated_at" timestamptz not null default now())`);
    this.addSql(`create index "service_visibility_idx" on ${s}."service" ("visibility")`);
    this.addSql(`create index "service_shared_with_idx" on ${s}."service" using gin ("shared_with")`);
    this.addSql(`create table ${s}."capacity" (
      "id" text primary key,
      "service_id" text null references ${s}."service" ("id") on delete cascade,
      "resource" text not null,
      "total" double precision not null check ("total" >= 0),
      "used" double precision not null check ("used" >= 0),
      "measured_at" timestamptz not null default now(),
      "visibility" text not null check ("visibility" in ('PUBLIC','NETWORK','MEMBERS','OWNER')),
      "numbers_visibility" text null check ("numbers_visibility" in ('PUBLIC','NETWORK','MEMBERS','OWNER')),
      "shared_with" text[] not null default '{}')`);
    this.addSql(`create index "capacity_service_id_idx" on ${s}."capacity" ("service_id")`);
    this.addSql(`create index "capacity_visibility_idx" on ${s}."capacity" ("visibility")`);
    this.addSql(`create table ${s}."project" (
      "id" text primary key,
      "name" text not null,
      "area" text not null,
      "status" text not null,
      "summary" jsonb not null default '{}',
      "invited" text[] not null default '{}',
      "needs" text[] not null default '{}',
      "started_at" timestamptz null,
      "visibility" text not null check ("visibility" in ('PUBLIC','NETWORK','MEMBERS','OWNER')),
      "shared_with" text[] not null default '{}',
      "updated_at" timestamptz not null default now())`);
    this.addSql(`create index "project_visibility_idx" on ${s}."project" ("visibility")`);
  }

  async down(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`drop table if exists ${s}."capacity"`);
    this.addSql(`drop table if exists ${s}."service"`);
    this.addSql(`drop table if exists ${s}."project"`);
  }
}
