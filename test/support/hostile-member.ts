import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kind, parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { memberSdlPath } from '../../schema/paths';

const CONTRACT = readFileSync(memberSdlPath(), 'utf8');

/** What the gateway asked: the root fields (name → response key), the variables, the text. */
export interface HostileRequest {
  query: string;
  variables: Record<string, any>;
  /** Root field name → the response keys it was asked under. */
  fields: Map<string, string[]>;
}

/**
 * One trick: given a request, the whole response body to send (any JSON, or a raw string), or,
 * with `data`, values per root field NAME that the fixture puts under the asked response keys.
 */
export type Trick = (request: HostileRequest) => { data?: Record<string, unknown>; body?: unknown; raw?: string } | undefined;

export interface HostileMember {
  id: string;
  url: string;
  /** Requests the gateway sent (not counting the health and schema checks). */
  requests: HostileRequest[];
  play(trick: Trick): void;
  stop(): Promise<void>;
}

/**
 * A member listed in the registry that answers whatever it likes: a real HTTP server on port 0
 * that serves the network contract's SDL (so the gateway's schema check admits it) and a healthy
 * `/health`, and answers every other request with the trick it is playing.
 *
 * @example
 * const mallory = await startHostileMember('mallory');
 * net.addExternalMember({ id: mallory.id, url: mallory.url });
 * mallory.play(() => ({ data: { services: [{ id: 'alpha:mail', name: 'forged' }] } }));
 */
export async function startHostileMember(id: string): Promise<HostileMember> {
  let trick: Trick = () => ({ data: {} });
  const requests: HostileRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (text: string) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(text);
      };
      if (req.method === 'GET' || req.url?.endsWith('/health')) return send(JSON.stringify({ status: 'ok', schemaVersion: 'hostile' }));
      const text = Buffer.concat(chunks).toString('utf8');
      let body: { query?: string; variables?: Record<string, any> };
      try {
        body = JSON.parse(text);
      } catch {
        return send('{"errors":[{"message":"bad json"}]}');
      }
      if (body.query?.includes('_service')) return send(JSON.stringify({ data: { _service: { sdl: CONTRACT } } }));
      const request: HostileRequest = { query: body.query ?? '', variables: body.variables ?? {}, fields: rootFields(body.query ?? '') };
      requests.push(request);
      const out = trick(request) ?? { data: {} };
      if (out.raw !== undefined) return send(out.raw);
      if (out.body !== undefined) return send(JSON.stringify(out.body));
      const data: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(out.data ?? {})) for (const key of request.fields.get(name) ?? []) data[key] = typeof value === 'function' ? value(request) : value;
      send(JSON.stringify({ data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    id,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests,
    play(next) {
      trick = next;
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function rootFields(query: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  try {
    const op = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    for (const s of op?.selectionSet.selections ?? []) {
      if (s.kind !== Kind.FIELD) continue;
      const f = s as FieldNode;
      const list = fields.get(f.name.value) ?? [];
      list.push(f.alias?.value ?? f.name.value);
      fields.set(f.name.value, list);
    }
  } catch {
    /* an unparsable query gets no fields */
  }
  return fields;
}

/** A record of the hostile member's own, as an honest member would answer it (with the probe). */
export const own = (member: string, local: string, fields: Record<string, unknown> = {}) => ({ id: `${member}:${local}`, infrared__id: `${member}:${local}`, ...fields });
/** A member reference with its probe. */
export const ref = (member: string) => ({ id: member, infrared__id: member });
