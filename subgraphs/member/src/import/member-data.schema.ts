import { z } from 'zod';
import { AREAS, PROJECT_STATUSES, RESOURCES, SERVICE_KINDS, SERVICE_STATUSES, VISIBILITIES } from '../../../../common/contract';
import { LOCAL_ID_PATTERN, MEMBER_ID_PATTERN } from '../../../../common/ids';
import { formatPath } from '../../../../common/zod-issues';

const localId = z.string().regex(LOCAL_ID_PATTERN, 'expected a local id: lowercase letters, digits, ".", "_" or "-", without the member prefix');
const memberId = z.string().regex(MEMBER_ID_PATTERN, 'expected a member id: lowercase letters, digits and "-"');
const langTag = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 language tag such as "sq" or "es-AR"');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const translations = z
  .record(langTag, text(4000))
  .refine((v) => Object.keys(v).length > 0, 'needs at least one language');
const visibility = z.enum(VISIBILITIES);
const httpsUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    try {
      return ['https:', 'http:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'expected an http(s) URL');
const date = z.union([z.date(), z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'expected a date such as 2025-03-01')]).transform((v) => new Date(v));
const RANK = Object.fromEntries(VISIBILITIES.map((v, i) => [v, i])) as Record<string, number>;

export const capacitySchema = z
  .strictObject({
    id: localId,
    resource: z.enum(RESOURCES),
    total: z.number().nonnegative().finite(),
    used: z.number().nonnegative().finite(),
    measuredAt: date.optional(),
    visibility,
    numbersVisibility: visibility.optional(),
    sharedWith: z.array(memberId).max(500).default([]),
  })
  .superRefine((c, ctx) => {
    if (c.used > c.total) ctx.addIssue({ code: 'custom', path: ['used'], message: `must not exceed total (${c.total})` });
    if (c.numbersVisibility && RANK[c.numbersVisibility] < RANK[c.visibility]) {
      ctx.addIssue({ code: 'custom', path: ['numbersVisibility'], message: `must be as strict as visibility (${c.visibility}) or stricter` });
    }
  });

export const serviceSchema = z.strictObject({
  id: localId,
  name: text(200),
  kind: z.enum(SERVICE_KINDS),
  description: translations.default({}),
  languages: z.array(langTag).max(50).default([]),
  regions: z.array(text(100)).max(50).default([]),
  url: httpsUrl.optional(),
  software: text(200).optional(),
  status: z.enum(SERVICE_STATUSES),
  acceptingUsers: z.boolean(),
  visibility,
  sharedWith: z.array(memberId).max(500).default([]),
  capacity: z.array(capacitySchema).max(100).default([]),
});

export const projectSchema = z.strictObject({
  id: localId,
  name: text(200),
  area: z.enum(AREAS),
  status: z.enum(PROJECT_STATUSES),
  summary: translations.default({}),
  participants: z.array(memberId).max(500).default([]),
  needs: z.array(text(500)).max(100).default([]),
  startedAt: date.optional(),
  visibility,
  sharedWith: z.array(memberId).max(500).default([]),
});

/** A member's data file: what `infrared member import` loads. */
export const memberDataSchema = z
  .strictObject({
    member: memberId,
    services: z.array(serviceSchema).max(10_000).default([]),
    capacity: z.array(capacitySchema).max(10_000).default([]),
    projects: z.array(projectSchema).max(10_000).default([]),
  })
  .superRefine((file, ctx) => {
    const seen = (kind: string, ids: { id: string; path: (string | number)[] }[]) => {
      const first = new Map<string, string>();
      for (const { id, path } of ids) {
        const where = formatPath(path);
        if (first.has(id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate ${kind} id "${id}" (first at ${first.get(id)})` });
        else first.set(id, where);
      }
    };
    seen('service', file.services.map((s, i) => ({ id: s.id, path: ['services', i] })));
    seen('project', file.projects.map((p, i) => ({ id: p.id, path: ['projects', i] })));
    seen('capacity', [
      ...file.services.flatMap((s, i) => s.capacity.map((c, j) => ({ id: c.id, path: ['services', i, 'capacity', j] }))),
      ...file.capacity.map((c, i) => ({ id: c.id, path: ['capacity', i] })),
    ]);
    const selfShare = (list: { sharedWith: string[] }[], base: string) =>
      list.forEach((r, i) => {
        if (r.sharedWith.includes(file.member)) ctx.addIssue({ code: 'custom', path: [base, i, 'sharedWith'], message: 'must not list the member itself (the owner always sees its records)' });
      });
    selfShare(file.services, 'services');
    selfShare(file.projects, 'projects');
  });

export type MemberData = z.infer<typeof memberDataSchema>;
export type CapacityData = z.infer<typeof capacitySchema>;

export { formatIssues, formatPath } from '../../../../common/zod-issues';
