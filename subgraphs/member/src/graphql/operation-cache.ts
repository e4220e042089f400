import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ParseOptions, type ValidationRule } from 'graphql';
import { LRUCache } from 'lru-cache';

export interface OperationCacheOptions {
  schema: GraphQLSchema;
  /** Rules on top of graphql's `specifiedRules`: the same list the Apollo server validates with. */
  validationRules: readonly ValidationRule[];
  parseOptions: ParseOptions;
  /** Operation texts kept (the least recently used go first). */
  maxDocuments?: number;
  /** Longer operation texts are parsed and validated each time, never kept. */
  maxQueryLength?: number;
}

/** A checked operation text: its document, or why it was refused (with the code Apollo uses). */
export type CheckedOperation = { document: DocumentNode; errors?: undefined } | { document?: undefined; code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED'; errors: readonly GraphQLError[] };

/**
 * Parsed and validated documents by exact operation text. A member is asked the same few
 * operations over and over (the gateway's sub-requests), so each text is parsed and validated
 * once. A text that fails is remembered with its errors too, so a repeated bad query costs a
 * lookup. Bounded in entries and in the length of the texts it keeps.
 */
export class OperationCache {
  private readonly checked: LRUCache<string, CheckedOperation>;
  private readonly rules: ValidationRule[];
  private readonly maxQueryLength: number;

  constructor(private readonly opts: OperationCacheOptions) {
    this.checked = new LRUCache({ max: opts.maxDocuments ?? 500 });
    this.rules = [...specifiedRules, ...opts.validationRules];
    this.maxQueryLength = opts.maxQueryLength ?? 20_000;
  }

  check(query: string): CheckedOperation {
    const hit = this.checked.get(query);
    if (hit) return hit;
    const result = this.parseAndValidate(query);
    if (query.length <= this.maxQueryLength) this.checked.set(query, result);
    return result;
  }

  get size(): number {
    return this.checked.size;
  }

  private parseAndValidate(query: string): CheckedOperation {
    let document: DocumentNode;
    try {
      document = parse(query, this.opts.parseOptions);
    } catch (err) {
      const error = err instanceof GraphQLError ? err : new GraphQLError((err as Error).message);
      return { code: 'GRAPHQL_PARSE_FAILED', errors: [error] };
    }
    const errors = validate(this.opts.schema, document, this.rules);
    return errors.length > 0 ? { code: 'GRAPHQL_VALIDATION_FAILED', errors } : { document };
  }
}
