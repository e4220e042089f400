import { z } from 'zod';
import { SERVICE_KINDS, SERVICE_STATUSES } from '../../../../../schema/enums';
import { httpsUrl, langTag, localId, memberId, text, translations, visibility, recordSource } from '../../import/data-file-fields';
import { capacitySchema } from '../capacity/capacity.schema';

/** A service in the data file, with its capacity (and the checks `upsertService` shares). */
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
  source: recordSource,
  capacity: z.array(capacitySchema).max(100).default([]),
});
