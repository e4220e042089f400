import { z } from 'zod';
import { INCIDENT_KINDS, INCIDENT_STATUSES, SEVERITIES } from '../../../../../schema/enums';
import { INDICATOR_TYPES, IndicatorError, normalizeIndicator } from '../../../../../common/indicators';
import { date, localId, memberId, text, translations, visibility, recordSource } from '../../import/data-file-fields';

export const indicatorSchema = z.strictObject({ type: z.enum(INDICATOR_TYPES), value: z.string().max(2048) }).transform((indicator, ctx) => {
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
  source: recordSource,
});
