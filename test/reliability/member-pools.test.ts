import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemberClient } from '../../gateway/src/fanout/member-client';

/** A member stand-in that answers after 50 ms and counts the connections it was given. */
async function slowMember(): Promise<{ url: string; sockets: () => number; close: () => Promise<void>; server: Server }> {
  let sockets = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => res.end('{"data":{"services":[]}}'), 50));
  });
  server.on('connection', () => sockets++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    sockets: () => sockets,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The keep-alive pools over real sockets (the budget's arithmetic: gateway/src/fanout/member-pools.test.ts). */
describe('member connection pools', () => {
  it.each([
    [4, 2],
    [1, 8],
  ])('with %i member(s) in the registry and 8 sockets in all, opens at most %i to one member', async (members, expected) => {
    const member = await slowMember();
    const client = new MemberClient({ maxResponseBytes: 1000, pools: { perMember: 32, totalSockets: 8, members: () => members } });
    try {
      const results = await Promise.all(Array.from({ length: 12 }, () => client.post(member.url, '{"query":"{ services { id } }"}', {}, 5000)));
      expect(results.every((r) => r.outcome === 'ok')).toBe(true);
      expect(member.sockets()).toBe(expected);
    } finally {
      await client.close();
      await member.close();
    }
  });
});
