import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKeyPair, publicPart, type PrivateJwk } from '../../common/auth/keys';

/** Reads `<dir>/<id>.jwk.json`, creating an Ed25519 key there (mode 0600) when missing. */
export async function ensureKey(dir: string, id: string): Promise<PrivateJwk> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${id}.jwk.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as PrivateJwk;
  const { privateJwk } = await createKeyPair();
  writeFileSync(file, JSON.stringify(privateJwk, null, 2) + '\n', { mode: 0o600 });
  return privateJwk;
}

export function pinned(key: PrivateJwk) {
  return publicPart(key) as PrivateJwk;
}
