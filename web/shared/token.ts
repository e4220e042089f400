/**
 * The caller token lives in this tab's sessionStorage only: never localStorage, never a cookie,
 * so it is gone when the tab closes and is sent nowhere but this origin's /graphql.
 */
const KEY = 'infrared.token';

export function readToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}

/** Accepts a pasted token with or without the `Bearer ` prefix and stray whitespace. */
export function cleanToken(pasted: string): string {
  return pasted
    .trim()
    .replace(/^bearer\s+/i, '')
    .replace(/\s+/g, '');
}

/** Same origin, always: the endpoint is a path, never a URL. */
export const GRAPHQL_PATH = '/graphql';

/**
 * The storage GraphiQL gets: this tab's sessionStorage (never localStorage), minus every request
 * header. GraphiQL's history keeps each query with its headers; stored as they are, a copy of the
 * token would outlive "Forget the token".
 */
export const explorerStorage = {
  getItem: (key: string): string | null => sessionStorage.getItem(key),
  setItem(key: string, value: string): void {
    if (key.endsWith(':headers')) return;
    let clean = value;
    try {
      clean = JSON.stringify(JSON.parse(value), (name: string, v: unknown) => (name === 'headers' ? undefined : v));
    } catch {
      /* not JSON: kept as it is, unless it carries the token (below) */
    }
    const token = readToken();
    if (token && clean.includes(token)) return;
    sessionStorage.setItem(key, clean);
  },
  removeItem: (key: string): void => sessionStorage.removeItem(key),
  clear(): void {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('graphiql:')) sessionStorage.removeItem(key);
  },
  get length(): number {
    return Object.keys(sessionStorage).filter((key) => key.startsWith('graphiql:')).length;
  },
};
