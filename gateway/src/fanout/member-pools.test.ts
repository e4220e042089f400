import { connectionsPerMember } from './member-pools';

/** The socket budget's arithmetic (the pools themselves, over real sockets: test/reliability/member-pools.test.ts). */
describe('member connection pools', () => {
  it('gives each member its share of the socket budget', () => {
    const budget = { perMember: 32, totalSockets: 1024 };
    expect(connectionsPerMember(budget, 1)).toBe(32);
    expect(connectionsPerMember(budget, 4)).toBe(32);
    expect(connectionsPerMember(budget, 64)).toBe(16);
    expect(connectionsPerMember(budget, 500)).toBe(2);
    expect(connectionsPerMember(budget, 5000)).toBe(1);
    expect(connectionsPerMember(budget, 0)).toBe(32);
  });
});
