import { statementNameOn } from './prepared-select';

describe('statementNameOn', () => {
  it('gives each connection its own name for one statement, and the same name on the same connection', () => {
    const a = {};
    const b = {};
    const onA = statementNameOn(a, 'infrared_read_0123');
    expect(onA).toMatch(/^infrared_read_0123_[0-9a-z]+_[0-9a-z]+$/);
    // named after this process too: member processes sharing the embedded PostgreSQL each count from 1
    expect(onA).toContain(`_${process.pid.toString(36)}_`);
    expect(statementNameOn(a, 'infrared_read_0123')).toBe(onA);
    // the embedded PostgreSQL is one session for every connection: the names must not collide there
    expect(statementNameOn(b, 'infrared_read_0123')).not.toBe(onA);
    expect(statementNameOn(a, 'infrared_replay_89ab')).toBe(`infrared_replay_89ab${onA.slice('infrared_read_0123'.length)}`);
  });

  it('stays within PostgreSQL’s 63-byte identifiers for the names the member uses', () => {
    const name = statementNameOn({}, `infrared_read_${'f'.repeat(24)}`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
  });
});
