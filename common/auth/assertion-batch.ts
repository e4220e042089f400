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

interface Waiting {
  member: string;
  bh: string;
  resolve: (value: SubRequestAssertion) => void;
  reject: (err: unknown) => void;
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
    // the claim itself is the key (computed per call: a caller object could change between calls)
    const key = JSON.stringify(callerClaim(opts.caller));
    let batch = this.batches.get(key);
    if (!batch || batch.calls.length >= MAX_BATCH_CALLS) {
      if (batch) this.full.push(batch);
      // a copy: what is signed is the claim the batch was keyed by
      this.batches.set(key, (batch = { caller: { ...opts.caller, scopes: [...opts.caller.scopes] }, calls: [] }));
    }
    const bh = this.signer.hashOf(opts.body);
    const member = opts.member;
    const answer = new Promise<SubRequestAssertion>((resolve, reject) => batch.calls.push({ member, bh, resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flush);
    }
    return answer;
  }

  private readonly flush = (): void => {
    const batches = [...this.full, ...this.batches.values()];
    this.batches = new Map();
    this.full = [];
    this.scheduled = false;
    const now = Date.now();
    for (const batch of batches) {
      try {
        this.signBatch(batch, now);
      } catch (err) {
        for (const call of batch.calls) call.reject(err);
      }
    }
  };

  private signBatch(batch: Batch, now: number): void {
    this.stats.batches++;
    this.stats.calls += batch.calls.length;
    if (batch.calls.length === 1) {
      const [call] = batch.calls;
      call.resolve({ assertion: this.signer.signWithHash({ member: call.member, caller: batch.caller, bh: call.bh, now }) });
      return;
    }
    const random = randomBytes(NONCE_BYTES * batch.calls.length);
    const nonces = batch.calls.map((_, i) => random.toString('base64url', i * NONCE_BYTES, (i + 1) * NONCE_BYTES));
    const { root, paths } = merkleTree(batch.calls.map((call, i) => merkleLeaf(call.member, call.bh, nonces[i])));
    const assertion = this.signer.signRoot({ caller: batch.caller, root: root.toString('base64url'), now });
    batch.calls.forEach((call, i) => call.resolve({ assertion, proof: encodeProof(nonces[i], paths[i]) }));
  }
}
