/** How many distinct operation names become metric labels, per process. */
export const MAX_OPERATION_LABELS = 100;

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Operation-name label values from a bounded set, so no caller can grow `/metrics` without
 * limit: a name becomes a label once a request under it has succeeded (HTTP 200), up to `cap`
 * names; every other name is `other`, and a request without a usable name is `anonymous`.
 * A refused or failed request never adds a name.
 * @example const labels = new OperationLabels(); labels.label('Services', true) // 'Services'
 */
export class OperationLabels {
  private readonly known = new Set<string>();

  constructor(private readonly cap = MAX_OPERATION_LABELS) {}

  label(name: unknown, succeeded: boolean): string {
    if (typeof name !== 'string' || !NAME.test(name)) return 'anonymous';
    if (this.known.has(name)) return name;
    if (succeeded && this.known.size < this.cap) {
      this.known.add(name);
      return name;
    }
    return 'other';
  }
}
