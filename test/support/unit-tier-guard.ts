import childProcess from 'node:child_process';
import net from 'node:net';

/**
 * The unit tier's promise, enforced: a unit test opens no socket, listens on no port and starts no
 * process. A test that needs a database, a member, Redis or the CLI belongs in test/ (integration).
 * Files on disk (temporary directories) are allowed.
 * Node's core modules are shared by every test file a Jest worker runs (of both tiers), so the
 * originals are put back after each file.
 */
function refuse(what: string): never {
  throw new Error(`unit tier: ${what} is not allowed here; move this test to test/ (the integration tier)`);
}

const processApi = childProcess as unknown as Record<string, unknown>;
const processCalls = ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync'] as const;
const originals = {
  connect: net.Socket.prototype.connect,
  listen: net.Server.prototype.listen,
  process: Object.fromEntries(processCalls.map((name) => [name, processApi[name]])),
};

net.Socket.prototype.connect = function connect() {
  refuse('opening a socket');
} as typeof net.Socket.prototype.connect;
net.Server.prototype.listen = function listen() {
  refuse('listening on a port');
} as typeof net.Server.prototype.listen;
for (const name of processCalls) processApi[name] = () => refuse(`starting a process (${name})`);

afterAll(() => {
  net.Socket.prototype.connect = originals.connect;
  net.Server.prototype.listen = originals.listen;
  for (const name of processCalls) processApi[name] = originals.process[name];
});
