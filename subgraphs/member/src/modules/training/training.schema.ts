import { z } from 'zod';
import { TRAINING_FORMATS } from '../../../../../schema/enums';
import { date, langTag, localId, memberId, recordSource, text, translations, visibility } from '../../import/data-file-fields';

/** The most seats one session may offer. */
export const MAX_SEATS = 100_000;

/**
 * A training or mentoring session in the data file (and the checks `upsertTraining` shares).
 * An IN_PERSON session needs a region (where it happens); an end, when given, is not before the start.
 */
export const trainingSchema = z
  .strictObject({
    id: localId,
    title: text(200),
    description: translations.default({}),
    languages: z.array(langTag).max(50).default([]),
    format: z.enum(TRAINING_FORMATS),
    region: text(100).optional(),
    startsAt: date,
    endsAt: date.optional(),
    seats: z
      .number()
      .refine(Number.isInteger, 'must be a whole number')
      .refine((n) => n >= 1, 'must be at least 1')
      .refine((n) => n <= MAX_SEATS, `must be at most ${MAX_SEATS}`)
      .optional(),
    visibility,
    sharedWith: z.array(memberId).max(500).default([]),
    source: recordSource,
  })
  .superRefine((t, ctx) => {
    if (t.format === 'IN_PERSON' && !t.region) ctx.addIssue({ code: 'custom', path: ['region'], message: 'an IN_PERSON training needs a region (where it happens)' });
    if (t.endsAt && t.endsAt.getTime() < t.startsAt.getTime()) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must not be before startsAt' });
  });

export type TrainingData = z.infer<typeof trainingSchema>;
