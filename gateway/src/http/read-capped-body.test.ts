import { Readable } from 'node:stream';
import { BodyTooLargeError, readCappedBody } from './read-capped-body';

describe('readCappedBody', () => {
  it('reads a body up to its cap', async () => {
    expect((await readCappedBody(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4)).toString()).toBe('abcd');
  });

  it('stops an endless Node stream at the cap and destroys it', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1024;
        this.push(Buffer.alloc(1024));
      },
    });
    await expect(readCappedBody(endless, 10_000)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThan(100_000);
  });

  it('stops an endless web stream (a fetch body) at the cap and cancels it', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expect(readCappedBody(endless, 10_000)).rejects.toThrow('answer larger than 10000 bytes');
    expect(cancelled).toBe(true);
  });
});
