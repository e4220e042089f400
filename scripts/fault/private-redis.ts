import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';

/**
 * A private, throw-away redis-server on a loopback port of our own (no persistence), so a
 * scenario can freeze it with SIGSTOP. Never the machine's shared Redis.
 */
export async function privateRedis(port: number): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      }).on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: proc.pid!,
    async stop() {
      proc.kill('SIGCONT');
      proc.kill('SIGKILL');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}
