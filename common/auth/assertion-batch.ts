import { randomBytes } from 'node:crypto';
import type { Caller } from '../caller';
import { callerClaim } from './assertion';
import { encodeProof, merkleLeaf, merkleTree, NONCE_BYTES } from './assertion-merkle';
import type { AssertionSigner } from './assertion-signer';

/** What a member call sends: the assertion, and for the batch form the call's inclusion proof. */
export interface SubRequestAssertion {
  assertion: string;
  /** Present for the batch form only (header `infrared-assertion-proof`). */
  proof?: string;
}

/** The most member calls under one signature: proofs stay at 12 levels or fewer. */
export const MAX_BATCH_CALLS = 4096;

/** Gets a call's assertion, and for the batch form its proof (`enqueue`). */
export type AssertionSigned = (assertion: string, proof: string | undefined) => void;

interface Waiting {
  member: string;
  bh: string;
  signed: AssertionSigned;
  failed: (err: unknown) => void;
}

interface Batch {
  caller: Caller;
  calls: Waiting[];
}

/**
 * Signs the member calls the gateway makes in one synchronous turn for one caller with ONE
 * signature: `assert` queues the call and answers on the next microtask, when the queue is
 * flushed (DataLoader-style). The fan-out sends all member calls of a request in one loop, so a
 * request to N members costs one signature instead of N.
 *
 * Per batch (same `caller` claim): one `randomBytes` for every leaf's 128-bit nonce, a leaf per
 * call binding the member (`aud`), the exact body (`bh`) and the nonce, one signed JWS over the
 * Merkle root (`mr`), and a proof per call. A batch of one is the classic assertion (`aud`, `bh`),
 * unchanged. Send the batch form only to members that advertise it (BATCH_ASSERTION_FORM).
 */
export class AssertionBatcher {
  private batches = new Map<string, Batch>();
  /** Batches that reached MAX_BATCH_CALLS this turn (the next call of their caller starts another). */
  private full: Batch[] = [];
  private scheduled = false;
  /** Batches signed so far, and the member calls they covered (for tests and benchmarks). */
  readonly stats = { batches: 0, calls: 0 };

  constructor(private readonly signer: AssertionSigner) {}

  /** The assertion for one member call, signed with the other calls of this turn for this caller. */
  assert(opts: { member: string; caller: Caller; body: string }): Promise<SubRequestAssertion> {
    return new Promise((resolve, reject) => this.enqueue(opts, (assertion, proof) => resolve(proof === undefined ? { assertion } : { assertion, proof }), reject));
  }

  /**
   * `assert` in callback form, for the fan-out's hot path (no promise, nor its turns, per call):
   * `signed` gets the assertion (and the proof) when the turn's batch is signed, on the next
   * microtask; `failed` gets the error if signing fails. Exactly one of them is called, once.
   * @example
   * batcher.enqueue({ member: 'alpha', caller, body }, (assertion, proof) => send(assertion, proof), (err) => fail(err));
   */
  enqueue(opts: { member: string; caller: Caller; body: string }, signed: AssertionSigned, failed: (err: unknown) => void): void {
    // the claim itself is the key (computed per call: a caller object could change between calls)
    const key = JSON.stringify(callerClaim(opts.caller));
    let batch = this.batches.get(key);
    if (!batch || batch.calls.length >= MAX_BATCH_CALLS) {
      if (batch) this.full.push(batch);
      // a copy: what is signed is the claim the batch was keyed by
      this.batches.set(key, (batch = { caller: { ...opts.caller, scopes: [...opts.caller.scopes] }, calls: [] }));
    }
    const bh = this.signer.hashOf(opts.body);
    batch.calls.push({ member: opts.member, bh, signed, failed });
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flush);
    }
  }

  private readonly flush = (): void => {
    const batches = [...this.full, ...this.batches.values()];
    this.batches = new Map();
    this.full = [];
    this.scheduled = false;
    const now = Date.now();
    for (const batch of batches) {
      let signed: { assertion: string; proofs?: string[] };
      try {
        signed = this.signBatch(batch, now);
      } catch (err) {
        for (const call of batch.calls) call.failed(err);
        continue;
      }
      // each call gets its own outcome: one whose continuation throws fails alone, the others go on
      batch.calls.forEach((call, i) => {
        try {
          call.signed(signed.assertion, signed.proofs?.[i]);
        } catch (err) {
          call.failed(err);
        }
      });
    }
  };

  /** The batch's one signature, and for the batch form each call's proof (in the calls' order). */
  private signBatch(batch: Batch, now: number): { assertion: string; proofs?: string[] } {
    this.stats.batches++;
    this.stats.calls += batch.calls.length;
    if (batch.calls.length === 1) {
      const [call] = batch.calls;
      return { assertion: this.signer.signWithHash({ member: call.member, caller: batch.caller, bh: call.bh, now }) };
    }
    const random = randomBytes(NONCE_BYTES * batch.calls.length);
    const nonces = batch.calls.map((_, i) => random.toString('base64url', i * NONCE_BYTES, (i + 1) * NONCE_BYTES));
    const { root, paths } = merkleTree(batch.calls.map((call, i) => merkleLeaf(call.member, call.bh, nonces[i])));
    const assertion = this.signer.signRoot({ caller: batch.caller, root: root.toString('base64url'), now });
    return { assertion, proofs: nonces.map((nonce, i) => encodeProof(nonce, paths[i])) };
  }
}
