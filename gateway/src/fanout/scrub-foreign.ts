import { ownerOf } from '../../../common/ids';
import { ID_PROBE } from './operation-plan';

const DROP = Symbol('drop');

/**
 * Removes the id probes the gateway added, and drops every record whose id carries another
 * member's prefix: no member can speak for another. In lists the record is removed; elsewhere
 * it becomes null. Returns how many records were dropped.
 */
export function scrubForeign(data: Record<string, unknown>, member: string): number {
  let dropped = 0;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      let write = 0;
      for (let read = 0; read < value.length; read++) {
        const next = walk(value[read]);
        if (next !== DROP) value[write++] = next;
      }
      value.length = write;
      return value;
    }
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    if (ID_PROBE in record) {
      const owner = ownerOf(record[ID_PROBE]);
      delete record[ID_PROBE];
      if (owner !== member) {
        dropped++;
        return DROP;
      }
    }
    for (const key of Object.keys(record)) {
      const next = walk(record[key]);
      record[key] = next === DROP ? null : next;
    }
    return record;
  };
  for (const key of Object.keys(data)) {
    const value = data[key];
    if (key === '_entities' && Array.isArray(value)) {
      // entity positions must be kept: a foreign record becomes null in place
      for (let i = 0; i < value.length; i++) {
        const next = walk(value[i]);
        value[i] = next === DROP ? null : next;
      }
      continue;
    }
    const next = walk(value);
    data[key] = next === DROP ? null : next;
  }
  return dropped;
}
