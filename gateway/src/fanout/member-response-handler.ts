import type { Dispatcher } from 'undici';
import { BodyTooLargeError } from '../http/read-capped-body';
import { CallDeadline, type DeadlineTarget } from './deadline';
import { memberCallResult } from './member-answer';
import type { MemberCallDone } from './member-client';

/** What came back from one member call, before anything looks inside the bytes. */
export type RawAnswer = { kind: 'answer'; status: number; body: Buffer } | { kind: 'too-large'; status: number; maxBytes: number } | { kind: 'timeout' } | { kind: 'failed'; code?: string };

const HEADERS_TIMEOUT = 'UND_ERR_HEADERS_TIMEOUT';
const BODY_TIMEOUT = 'UND_ERR_BODY_TIMEOUT';

/**
 * An undici dispatch handler that reads one member's answer into memory: it counts bytes as they
 * arrive and aborts the moment the count passes the cap (a member's endless or huge answer costs
 * at most the cap plus one chunk), and it ends the call at its deadline (`CallDeadline`). It
 * settles exactly once, with the bytes or the reason there are none.
 *
 * It is the whole per-call state of the transport: no response stream, no async iterator, no
 * abort signal, no header object (the status code is all the client needs), which is what
 * undici's `request()` would add to every one of the hundreds of calls of a fan-out. When it
 * settles it hands over the finished result (`memberCallResult`: parsed and shape-checked), so
 * the call's one promise is settled with it directly.
 */
export class MemberResponseHandler implements Dispatcher.DispatchHandler, DeadlineTarget {
  private controller: Dispatcher.DispatchController | undefined;
  private status = 0;
  private chunks: Buffer[] = [];
  private bytes = 0;
  private settled = false;
  private readonly deadline: CallDeadline;
  private readonly started = performance.now();

  constructor(
    private readonly maxBytes: number,
    private readonly deadlineMs: number,
    private readonly done: MemberCallDone,
  ) {
    this.deadline = new CallDeadline(this, deadlineMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // the deadline passed while the call waited for a connection: it is over before it starts
    if (this.settled) controller.abort(timeoutError());
    else this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    // informational (1xx) answers come before the real one
    if (statusCode >= 200) this.status = statusCode;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.settle({ kind: 'too-large', status: this.status, maxBytes: this.maxBytes });
      controller.abort(new BodyTooLargeError(this.maxBytes));
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const { chunks } = this;
    this.settle({ kind: 'answer', status: this.status, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.bytes) });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error & { code?: string }): void {
    if (err.code === HEADERS_TIMEOUT || err.code === BODY_TIMEOUT) this.settle({ kind: 'timeout' });
    else this.settle({ kind: 'failed', code: err.code });
  }

  /** The deadline passed: the call ends now, and its connection is given up if it has one. */
  expire(): void {
    if (this.settled) return;
    this.settle({ kind: 'timeout' });
    this.controller?.abort(timeoutError());
  }

  private settle(answer: RawAnswer): void {
    if (this.settled) return;
    this.settled = true;
    this.deadline.clear();
    this.chunks.length = 0;
    this.done(memberCallResult(answer, Math.round((performance.now() - this.started) * 10) / 10, this.deadlineMs));
  }
}

function timeoutError(): Error {
  return new DOMException('no answer within the deadline', 'TimeoutError');
}
