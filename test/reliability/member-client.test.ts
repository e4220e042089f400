import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemberClient } from '../../gateway/src/fanout/member-client';

type Respond = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A real HTTP member stand-in on port 0 whose answer each test sets. */
async function member(respond: Respond) {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let closedEarly = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body });
      res.on('close', () => {
        if (!res.writableFinished) closedEarly++;
      });
      respond(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received,
    closedEarly: () => closedEarly,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (status: number, text: string) => (_req: IncomingMessage, _body: string, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
};

describe('MemberClient', () => {
  const client = new MemberClient({ maxResponseBytes: 10_000, pools: { perMember: 1, totalSockets: 8 } });
  afterAll(() => client.close());

  it('posts the exact bytes with its headers and returns the parsed answer', async () => {
    const m = await member(json(200, '{"data":{"services":[{"id":"a:1"}]}}'));
    try {
      const body = Buffer.from('{"query":"{ services { id } }","variables":{"q":"کافشاتا"}}');
      const result = await client.post(m.url, body, ['x-request-id', 'r-1', 'accept-language', 'fa'], 2000);
      expect(result).toMatchObject({ outcome: 'ok', body: { data: { services: [{ id: 'a:1' }] } }, bytes: 36 });
      expect(m.received[0].body).toBe(body.toString('utf8'));
      expect(m.received[0].headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'r-1', 'accept-language': 'fa', 'content-length': String(body.length) });
      // a headers object works too
      expect((await client.post(m.url, '{}', { 'x-request-id': 'r-2' }, 2000)).outcome).toBe('ok');
      expect(m.received[1].headers['x-request-id']).toBe('r-2');
    } finally {
      await m.close();
    }
  });

  it('reads an answer that arrives in several chunks', async () => {
    const m = await member((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":{"services":[');
      setTimeout(() => res.end('{"id":"a:1"}]}}'), 20);
    });
    try {
      const result = await client.post(m.url, '{}', [], 2000);
      expect(result).toMatchObject({ outcome: 'ok', body: { data: { services: [{ id: 'a:1' }] } } });
    } finally {
      await m.close();
    }
  });

  it('cuts an endless answer at the byte cap and gives the connection up', async () => {
    const m = await member((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":{"services":[');
      const more = () => {
        if (res.destroyed) return;
        res.write(`${'{"id":"a:1"},'.repeat(200)}`, () => setImmediate(more));
      };
      more();
    });
    try {
      const result = await client.post(m.url, '{}', [], 5000);
      expect(result).toMatchObject({ outcome: 'error', reason: 'answer larger than 10000 bytes', status: 200 });
      await waitFor(() => m.closedEarly() === 1);
    } finally {
      await m.close();
    }
  });

  it.each([
    ['not JSON', 200, '<html>', 'answer is not JSON (HTTP 200)'],
    ['not a GraphQL response', 200, '[1,2]', 'answer is not a GraphQL response object'],
    ['data that is a list', 200, '{"data":[]}', 'answer data is not an object'],
    ['a malformed error', 200, '{"errors":[{"msg":"x"}]}', 'answer has a malformed error'],
    ['a server error without data', 503, '{"errors":[{"message":"down"}]}', 'HTTP 503'],
  ])('refuses %s', async (_name, status, text, reason) => {
    const m = await member(json(status, text));
    try {
      expect(await client.post(m.url, '{}', [], 2000)).toMatchObject({ outcome: 'error', reason, status });
    } finally {
      await m.close();
    }
  });

  it("reports a refusal of the gateway's assertion as untrusted, not as a failure", async () => {
    const m = await member(json(401, '{"errors":[{"message":"no","extensions":{"code":"UNAUTHENTICATED"}}]}'));
    try {
      expect(await client.post(m.url, '{}', [], 2000)).toMatchObject({ outcome: 'untrusted', status: 401 });
    } finally {
      await m.close();
    }
  });

  it('ends a call at its deadline, also one still waiting for a connection, and the pool serves the next call', async () => {
    let hang = true;
    const m = await member((req, body, res) => (hang ? undefined : json(200, '{"data":{}}')(req, body, res)));
    try {
      const started = performance.now();
      // one connection per member: the second call waits for it, and its deadline runs meanwhile
      const [first, second] = await Promise.all([client.post(m.url, '{}', [], 150), client.post(m.url, '{}', [], 150)]);
      expect(first).toMatchObject({ outcome: 'timeout', reason: 'no answer within 150 ms' });
      expect(second).toMatchObject({ outcome: 'timeout' });
      expect(performance.now() - started).toBeLessThan(150 * 2 + 300);
      hang = false;
      expect((await client.post(m.url, '{}', [], 2000)).outcome).toBe('ok');
    } finally {
      await m.close();
    }
  });

  it('reports a member that refuses connections as an error with the cause', async () => {
    const m = await member(json(200, '{}'));
    await m.close();
    expect(await client.post(m.url, '{}', [], 2000)).toMatchObject({ outcome: 'error', reason: 'connection failed (ECONNREFUSED)' });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
