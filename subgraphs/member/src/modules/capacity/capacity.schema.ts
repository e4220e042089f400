import { z } from 'zod';
import { RESOURCES } from '../../../../../schema/enums';
import { date, localId, memberId, RANK, visibility, recordSource } from '../../import/data-file-fields';

/** A capacity figure in the data file (and the checks `reportCapacity` shares). */
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
    source: recordSource,
  })
  .superRefine((c, ctx) => {
    if (c.used > c.total) ctx.addIssue({ code: 'custom', path: ['used'], message: `must not exceed total (${c.total})` });
    if (c.numbersVisibility && RANK[c.numbersVisibility] < RANK[c.visibility]) {
      ctx.addIssue({ code: 'custom', path: ['numbersVisibility'], message: `must be as strict as visibility (${c.visibility}) or stricter` });
    }
  });
