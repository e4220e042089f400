import { z } from 'zod';
import { AREAS, PROJECT_STATUSES } from '../../../../../schema/enums';
import { date, localId, memberId, text, translations, visibility, recordSource } from '../../import/data-file-fields';

/** A project in the data file (and the checks `upsertProject` shares). */
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
  source: recordSource,
});
