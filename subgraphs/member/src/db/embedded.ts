import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../../../../common/logger';
import { PGliteServer } from './pglite-server';

export interface EmbeddedPostgres {
  /** A postgres:// URL that the normal PostgreSQL driver connects to. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Embedded PostgreSQL (PGlite: PostgreSQL 17 compiled to WASM) behind a local socket server, so
 * members use the same driver as with a real PostgreSQL. Data lives in `dataDir` and survives a
 * restart. This runs it in the current process; see startEmbeddedPostgres for the usual way.
 */
export async function startEmbeddedPostgresInProcess(opts: { dataDir?: string; port?: number }): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create(opts.dataDir ? { dataDir: opts.dataDir } : {});
  const server = new PGliteServer(db);
  const port = await server.listen(opts.port ?? 0);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}

/**
 * Starts embedded PostgreSQL in a child process, so that its (synchronous, WASM) query work does
 * not block the event loop of the subgraphs and the gateway. One instance costs about 4 s and
 * 500 MB, so the demo shares one among all its members (a schema each). Falls back to the current
 * process when running from TypeScript sources.
 */
export async function startEmbeddedPostgres(opts: { dataDir?: string; logger: Logger; port?: number }): Promise<EmbeddedPostgres> {
  // beside this file when compiled; from the TypeScript sources (tests), the built copy in dist/
  const script = [join(__dirname, 'embedded-server.js'), join(__dirname, '../../../../dist/subgraphs/member/src/db/embedded-server.js')].find((f) => existsSync(f));
  if (!script) return startEmbeddedPostgresInProcess(opts);
  const child = spawn(process.execPath, [script, opts.dataDir ?? '', String(opts.port ?? 0)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        resolve((JSON.parse(line) as { port: number }).port);
      } catch {
        reject(new Error(`embedded PostgreSQL said: ${line}`));
      }
    });
    void exited.then((code) => reject(new Error(`embedded PostgreSQL exited with code ${code}`)));
  });
  opts.logger.info({ dataDir: opts.dataDir ?? '(in memory)', port, pid: child.pid }, 'embedded PostgreSQL (PGlite) started');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
