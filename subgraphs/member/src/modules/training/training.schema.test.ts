import { formatIssues } from '../../../../../common/zod-issues';
import { trainingSchema } from './training.schema';

/** The rules a training shares between the data file and `upsertTraining`. */
const base = { id: 'clinic', title: 'Clinic', format: 'ONLINE', startsAt: '2027-01-16T09:00:00Z', visibility: 'PUBLIC' };
const problems = (value: Record<string, unknown>) => {
  const result = trainingSchema.safeParse({ ...base, ...value }, { reportInput: true });
  return result.success ? [] : formatIssues(result.error);
};

describe('trainingSchema', () => {
  it('fills in the defaults and reads dates', () => {
    const parsed = trainingSchema.parse(base);
    expect(parsed).toEqual({ ...base, startsAt: new Date('2027-01-16T09:00:00Z'), description: {}, languages: [], sharedWith: [] });
  });

  it.each([
    ['an IN_PERSON session without a region', { format: 'IN_PERSON' }, 'region: an IN_PERSON training needs a region (where it happens)'],
    ['an end before the start', { endsAt: '2027-01-16T08:59:59Z' }, 'endsAt: must not be before startsAt'],
    ['no seats', { seats: 0 }, 'seats: must be at least 1'],
    ['a fraction of a seat', { seats: 1.5 }, 'seats: must be a whole number'],
    ['too many seats', { seats: 100_001 }, 'seats: must be at most 100000'],
    ['a format the contract does not have', { format: 'HYBRID' }, 'format: expected one of ONLINE, IN_PERSON; got "HYBRID"'],
    ['a blank title', { title: '  ' }, 'title: must not be empty'],
    ['an unknown key', { colour: 'red' }, '(file): unknown key "colour"'],
  ])('refuses %s', (_name, value, expected) => {
    expect(problems(value)).toEqual([expected]);
  });

  it.each([
    ['an IN_PERSON session with a region', { format: 'IN_PERSON', region: 'Balkans' }],
    ['an ONLINE session with a region it is meant for', { region: 'Latin America' }],
    ['an end equal to the start', { endsAt: '2027-01-16T09:00:00Z' }],
    ['one seat', { seats: 1 }],
    ['the most seats', { seats: 100_000 }],
  ])('accepts %s', (_name, value) => {
    expect(problems(value)).toEqual([]);
  });
});
