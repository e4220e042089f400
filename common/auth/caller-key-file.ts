import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { callerKeyThumbprint, callerPublicJwk, createCallerKeyPair } from './caller-proof';

/**
 * Caller key files (Node.js): `<name>.caller.jwk.json` holds the private P-256 JWK (mode 0600),
 * `<name>.caller.pub.json` its public half, the one to send to the member that issues your tokens.
 */

export interface CallerKeyFiles {
  privateFile: string;
  publicFile: string;
  publicJwk: JWK;
  thumbprint: string;
}

/** Writes a new caller key pair into `dir`. Refuses to replace a private key unless `force`. */
export async function writeCallerKeyFiles(dir: string, name: string, opts: { force?: boolean } = {}): Promise<CallerKeyFiles> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privateFile = join(dir, `${name}.caller.jwk.json`);
  const publicFile = join(dir, `${name}.caller.pub.json`);
  if (existsSync(privateFile) && !opts.force) throw new TypeError(`${privateFile} exists; use --force to replace it (tokens bound to it stop working)`);
  const { privateKey, publicJwk, thumbprint } = await createCallerKeyPair({ extractable: true });
  writeFileSync(privateFile, JSON.stringify(privateKey, null, 2) + '\n', { mode: 0o600 });
  writeFileSync(publicFile, JSON.stringify(publicJwk, null, 2) + '\n');
  return { privateFile, publicFile, publicJwk, thumbprint };
}

/** Reads a private caller key (a P-256 JWK with `d`), as `infrared keygen --caller` writes it. Throws TypeError saying what is wrong. */
export function readCallerKeyFile(file: string): JWK {
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (err) {
    throw new TypeError(`cannot read caller key ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (!jwk || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new TypeError(`${file} is not a private P-256 caller key (make one with \`infrared keygen --caller\`)`);
  }
  return jwk;
}

/**
 * A caller's public key to bind a token to: a file or inline JSON, holding a JWK or a JWKS with
 * one key. A private JWK is refused: the caller keeps it, and sends only the public half.
 * Returns the public JWK and its thumbprint (the token's `cnf.jkt`).
 */
export async function readCallerPublicKey(fileOrJson: string): Promise<{ publicJwk: JWK; thumbprint: string }> {
  let parsed: unknown;
  const text = fileOrJson.trim().startsWith('{') ? fileOrJson : readText(fileOrJson);
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TypeError(`${fileOrJson.trim().startsWith('{') ? 'the caller key' : fileOrJson} is not JSON`);
  }
  const keys = (parsed as { keys?: unknown })?.keys;
  if (Array.isArray(keys) && keys.length !== 1) throw new TypeError(`the caller JWKS holds ${keys.length} keys; give one`);
  const jwk = (Array.isArray(keys) ? keys[0] : parsed) as JWK;
  if (jwk && typeof jwk === 'object' && 'd' in jwk) throw new TypeError('this is a private key: the caller keeps it and sends only the public key (<name>.caller.pub.json)');
  let publicJwk: JWK;
  try {
    publicJwk = callerPublicJwk(jwk);
  } catch {
    throw new TypeError('the caller key is not a P-256 (ES256) public JWK');
  }
  return { publicJwk, thumbprint: await callerKeyThumbprint(publicJwk) };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new TypeError(`cannot read caller key ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
