import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { base64url, SignJWT, type JWTPayload } from 'jose';
import pino from 'pino';
import { importKey, type PrivateJwk } from '../../common/auth/keys';
import type { Caller } from '../../common/caller';
import { REDACTED_PATHS, type Logger } from '../../common/logger';
import { NETWORK_ID } from '../support/network';

/** The one body every refused token or assertion gets, whatever the reason. */
export const GENERIC_401_BODY = { errors: [{ message: 'Authentication failed', extensions: { code: 'UNAUTHENTICATED' } }] };

export const nowS = () => Math.floor(Date.now() / 1000);

export interface RawResult {
  status: number;
  text: string;
  headers: Headers;
  /** The parsed body, or undefined when it is not JSON. */
  json: any;
}

/** Posts exact bytes over real HTTP and keeps the raw answer (to compare refusals byte for byte). */
export async function postRaw(url: string, body: string, headers: Record<string, string> = {}): Promise<RawResult> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, headers: res.headers, json };
}

export const gqlBody = (query: string, variables?: Record<string, unknown>) => JSON.stringify(variables ? { query, variables } : { query });

export const b64json = (value: unknown) => base64url.encode(JSON.stringify(value));

/** Caller-token claims as a member would issue them (iat = nbf = now, 10 min), overridable. */
export function tokenClaims(member: string, overrides: JWTPayload = {}): JWTPayload {
  const now = nowS();
  return { iss: member, sub: `${member}-tester`, aud: NETWORK_ID, scope: 'read', iat: now, nbf: now, exp: now + 600, jti: randomUUID(), ...overrides };
}

/** Signs arbitrary claims with a member's Ed25519 key; the header can be overridden (kid, typ). */
export async function signClaims(key: PrivateJwk, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT', ...header }).sign(await importKey(key));
}

/** An unsigned JWT (`alg: none`), with an empty signature part. */
export function unsignedJwt(claims: JWTPayload, header: Record<string, unknown> = {}): string {
  return `${b64json({ alg: 'none', typ: 'JWT', ...header })}.${b64json(claims)}.`;
}

/** The token with its payload replaced, keeping the original header and signature. */
export function withPayload(token: string, mutate: (claims: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  mutate(claims);
  return `${header}.${b64json(claims)}.${signature}`;
}

export type CallerName = 'anonymous' | 'alpha' | 'beta' | 'gamma';

/** The caller a gateway would assert for a token of this member. */
export function callerOf(name: CallerName, scopes: string[] = ['read']): Caller {
  return name === 'anonymous' ? { anonymous: true, scopes: [] } : { anonymous: false, member: name, subject: `${name}-tester`, scopes };
}

/** A pino logger that keeps every line in memory, redacting what the services' loggers redact. */
export function capturingLogger(name = 'test'): { logger: Logger; text: () => string; lines: () => Record<string, any>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ name, level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: name } }, stream);
  const text = () => chunks.join('');
  const lines = () =>
    text()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  return { logger, text, lines };
}

/** Lets pino's stream flush (pino writes synchronously to a Writable, but be safe). */
export const settle = () => new Promise((r) => setImmediate(r));
