import 'reflect-metadata';
import type { Caller } from '../../../../../common/caller';
import type { TrainingRecord } from './training.entity';
import { signedTrainingFields, toTraining } from './training.mapper';

const record = {
  id: 'clinic',
  title: 'Clinic',
  description: { en: 'Bring your phone', sq: 'Sillni telefonin' },
  languages: ['sq'],
  format: 'IN_PERSON',
  region: 'Balkans',
  startsAt: new Date('2027-01-16T08:00:00Z'),
  endsAt: null,
  seats: 12,
  visibility: 'MEMBERS',
  sharedWith: ['beta'],
  createdAt: new Date('2026-11-29T12:00:00Z'),
  updatedAt: new Date('2026-11-30T12:00:00Z'),
  version: 1,
  source: 'FILE',
} as TrainingRecord;

const callers: Record<string, Caller> = {
  owner: { anonymous: false, member: 'alpha', subject: 'a', scopes: ['read'] },
  'member it is shared with': { anonymous: false, member: 'beta', subject: 'b', scopes: ['read'] },
  'other member': { anonymous: false, member: 'gamma', subject: 'g', scopes: ['read'] },
  anonymous: { anonymous: true, scopes: [] },
  'anonymous carrying the owner': { anonymous: true, member: 'alpha', scopes: ['read'] },
};

describe('toTraining', () => {
  it('prefixes the id with the owner and keeps every contract field', () => {
    const view = toTraining(record, { owner: 'alpha', caller: callers.owner });
    expect(view).toMatchObject({
      id: 'alpha:clinic',
      localId: 'clinic',
      member: { id: 'alpha' },
      title: 'Clinic',
      languages: ['sq'],
      format: 'IN_PERSON',
      region: 'Balkans',
      startsAt: record.startsAt,
      endsAt: null,
      seats: 12,
      visibility: 'MEMBERS',
      descriptionTexts: record.description,
    });
  });

  it.each(Object.keys(callers))('sharedWith for %s: the owner only', (who) => {
    const view = toTraining(record, { owner: 'alpha', caller: callers[who] });
    expect(view.sharedWith).toEqual(who === 'owner' ? ['beta'] : null);
  });
});

describe('signedTrainingFields', () => {
  it('covers every public field and never the owner-only sharedWith, whoever asked', () => {
    const signed = Object.keys(callers).map((who) => signedTrainingFields(toTraining(record, { owner: 'alpha', caller: callers[who] })));
    for (const fields of signed) expect(fields).toEqual(signed[0]);
    expect(signed[0]).toEqual({
      id: 'alpha:clinic',
      member: 'alpha',
      title: 'Clinic',
      description: { en: 'Bring your phone', sq: 'Sillni telefonin' },
      languages: ['sq'],
      format: 'IN_PERSON',
      region: 'Balkans',
      startsAt: '2027-01-16T08:00:00.000Z',
      endsAt: null,
      seats: 12,
      visibility: 'MEMBERS',
      updatedAt: '2026-11-30T12:00:00.000Z',
    });
  });
});
