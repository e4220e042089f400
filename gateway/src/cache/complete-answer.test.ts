import { summariseReports } from '../http/member-reports-plugin';
import { isCompleteAnswer } from './complete-answer';

describe('isCompleteAnswer', () => {
  const ok = { member: 'alpha', status: 'ok' as const, durationMs: 3 };
  it('is complete only when every member answered without errors, drops or cuts', () => {
    expect(isCompleteAnswer([ok, { ...ok, member: 'beta' }])).toBe(true);
    expect(isCompleteAnswer([ok, { member: 'gamma', status: 'skipped', durationMs: 0 }])).toBe(true);
    expect(isCompleteAnswer([ok, { ...ok, member: 'beta', dropped: 1 }])).toBe(false);
    expect(isCompleteAnswer([ok, { ...ok, member: 'beta', truncated: 5 }])).toBe(false);
    expect(isCompleteAnswer([ok, { ...ok, member: 'beta', errors: 1 }])).toBe(false);
    for (const status of ['timeout', 'error', 'circuit_open'] as const) expect(isCompleteAnswer([ok, { member: 'beta', status, durationMs: 1 }])).toBe(false);
    expect(isCompleteAnswer(undefined)).toBe(false);
  });
});

describe('summariseReports', () => {
  it('adds up what was dropped and cut per member, across its calls', () => {
    const summary = summariseReports([
      { member: 'alpha', status: 'ok', durationMs: 3, dropped: 2 },
      { member: 'alpha', status: 'ok', durationMs: 5, dropped: 1, truncated: 10 },
      { member: 'beta', status: 'ok', durationMs: 1 },
    ]);
    expect(summary).toEqual({ alpha: { status: 'ok', durationMs: 5, dropped: 3, truncated: 10 }, beta: { status: 'ok', durationMs: 1 } });
  });
});
