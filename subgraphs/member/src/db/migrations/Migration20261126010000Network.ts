import { Migration } from '@mikro-orm/migrations';

/** Incidents with indexed indicators, support offers and needs, and project participations. */
export class Migration20261126010000Network extends Migration {
  async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    const visibility = `"visibility" text not null check ("visibility" in ('PUBLIC','NETWORK','MEMBERS','OWNER'))`;
    this.addSql(`create table ${s}."incident" (
      "id" text primary key, "kind" text not null, "severity" text not null, "status" text not null,
      "observed_at" timestamptz not null, "summary" jsonb not null default '{}', "mitigation" text null,
      "indicators" jsonb not null default '[]', ${visibility}, "shared_with" text[] not null default '{}',
      "updated_at" timestamptz not null default now())`);
    this.addSql(`create index "incident_visibility_idx" on ${s}."incident" ("visibility")`);
    this.addSql(`create index "incident_observed_at_idx" on ${s}."incident" ("observed_at")`);
    this.addSql(`create table ${s}."incident_indicator" (
      "incident_id" text not null references ${s}."incident" ("id") on delete cascade,
      "type" text not null, "value" text not null, "net" inet null,
      primary key ("incident_id", "type", "value"))`);
    this.addSql(`create index "incident_indicator_value_idx" on ${s}."incident_indicator" ("type", "value")`);
    this.addSql(`create index "incident_indicator_net_idx" on ${s}."incident_indicator" using gist ("net" inet_ops)`);
    for (const table of ['support_offer', 'support_need']) {
      this.addSql(`create table ${s}."${table}" (
        "id" text primary key, "kind" text not null, "title" text not null, "description" jsonb not null default '{}',
        "languages" text[] not null default '{}', "open" boolean not null default true, ${visibility},
        "shared_with" text[] not null default '{}', "updated_at" timestamptz not null default now())`);
      this.addSql(`create index "${table}_kind_idx" on ${s}."${table}" ("kind")`);
    }
    this.addSql(`create table ${s}."participation" (
      "project_id" text primary key, "role" text null, "confirmed_at" timestamptz not null default now(), ${visibility},
      "shared_with" text[] not null default '{}')`);
  }

  async down(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    for (const table of ['participation', 'support_need', 'support_offer', 'incident_indicator', 'incident']) this.addSql(`drop table if exists ${s}."${table}"`);
  }
}
