import { z } from 'zod';
import { AREAS, INCIDENT_KINDS, INCIDENT_STATUSES, PROJECT_STATUSES, RESOURCES, SERVICE_KINDS, SERVICE_STATUSES, SEVERITIES, SUPPORT_KINDS, VISIBILITIES } from '../../../../common/contract';
import { INDICATOR_TYPES, IndicatorError, normalizeIndicator } from '../../../../common/indicators';
import { LOCAL_ID_PATTERN, MEMBER_ID_PATTERN } from '../../../../common/ids';
import { formatPath } from '../../../../common/zod-issues';
import { RECORD_KINDS } from '../modules';

const localId = z.string().regex(LOCAL_ID_PATTERN, 'expected a local id: lowercase letters, digits, ".", "_" or "-", without the member prefix');
const memberId = z.string().regex(MEMBER_ID_PATTERN, 'expected a member id: lowercase letters, digits and "-"');
const langTag = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 language tag such as "sq" or "es-AR"');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
/**
 * Translated text by language. Optional everywhere, and an empty map is the same as none (the
 * contract's `descriptions: [LocalizedText!]!` may be empty), so that what validation returns,
 * and what `member export` writes, validates again.
 */
const translations = z.record(langTag, text(4000));
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

export const indicatorSchema = z
  .strictObject({ type: z.enum(INDICATOR_TYPES), value: z.string().max(2048) })
  .transform((indicator, ctx) => {
    try {
      return normalizeIndicator(indicator);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: err instanceof IndicatorError ? err.message : 'invalid indicator' });
      return z.NEVER;
    }
  });

/** An attack report. Visibility defaults to NETWORK (TLP:GREEN). */
export const incidentSchema = z.strictObject({
  id: localId,
  kind: z.enum(INCIDENT_KINDS),
  severity: z.enum(SEVERITIES),
  status: z.enum(INCIDENT_STATUSES).default('OPEN'),
  observedAt: date,
  summary: translations.default({}),
  mitigation: text(4000).optional(),
  indicators: z.array(indicatorSchema).max(1000).default([]),
  visibility: visibility.default('NETWORK'),
  sharedWith: z.array(memberId).max(500).default([]),
});

export const supportSchema = z.strictObject({
  id: localId,
  kind: z.enum(SUPPORT_KINDS),
  title: text(200),
  description: translations.default({}),
  languages: z.array(langTag).max(50).default([]),
  open: z.boolean().default(true),
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
    incidents: z.array(incidentSchema).max(100_000).default([]),
    supportOffers: z.array(supportSchema).max(10_000).default([]),
    supportNeeds: z.array(supportSchema).max(10_000).default([]),
    /** This member's confirmations of other members' projects (what joinProject records). */
    participations: z
      .array(z.strictObject({ projectId: z.string().regex(/^[a-z0-9-]+:[a-z0-9._-]+$/, 'expected a global project id such as "kafshata:shared-backup"'), role: text(200).optional(), visibility: visibility.default('NETWORK') }))
      .max(10_000)
      .default([]),
  })
  .superRefine(
    (parsed, ctx) => {
      // Runs even when other parts of the file are invalid (`when`), so that every problem is
      // reported at once; the data may then be partial, so nothing is assumed about its shape.
      const file = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
      for (const { dataFile } of RECORD_KINDS) {
        const first = new Map<string, string>();
        for (const { record, path } of dataFile.records(file)) {
          const id = record[dataFile.key];
          if (typeof id === 'string') {
            if (first.has(id)) ctx.addIssue({ code: 'custom', path: [...path, dataFile.key], message: `duplicate ${dataFile.label} id "${id}" (first at ${first.get(id)})` });
            else first.set(id, formatPath(path));
          }
          if (Array.isArray(record.sharedWith) && record.sharedWith.includes(file.member)) {
            ctx.addIssue({ code: 'custom', path: [...path, 'sharedWith'], message: 'must not list the member itself (the owner always sees its records)' });
          }
        }
      }
    },
    { when: () => true },
  );

export type MemberData = z.infer<typeof memberDataSchema>;
export type CapacityData = z.infer<typeof capacitySchema>;

export { formatIssues, formatPath } from '../../../../common/zod-issues';
