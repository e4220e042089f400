import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';

/** Results already computed for one change, by operation (its text, operation name and variables). */
const results = new WeakMap<object, Map<string, ExecutionResult>>();
const schemas = new WeakMap<object, number>();
let nextSchema = 0;

function operationKey(args: ExecutionArgs, document: string): string {
  let schema = schemas.get(args.schema);
  if (schema === undefined) schemas.set(args.schema, (schema = ++nextSchema));
  return `${schema}\u0000${args.operationName ?? ''}\u0000${document}\u0000${JSON.stringify(args.variableValues ?? {})}`;
}

/**
 * graphql-js `subscribe`, with each event's result shared: subscribers of one shared feed get the
 * same change object, and the result of an operation on a change depends only on the operation
 * and the change (the resolvers read nothing else), so it is computed once per change and
 * operation however many subscribers run that operation.
 */
export async function subscribeShared(args: ExecutionArgs, documentText: string): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in Object(source))) return source as ExecutionResult;
  const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const key = operationKey(args, documentText);
  const resultFor = async (payload: unknown): Promise<ExecutionResult> => {
    if (typeof payload !== 'object' || payload === null) return execute({ ...args, rootValue: payload });
    let byOperation = results.get(payload);
    if (!byOperation) results.set(payload, (byOperation = new Map()));
    let result = byOperation.get(key);
    if (!result) {
      result = await execute({ ...args, rootValue: payload });
      byOperation.set(key, result);
    }
    return result;
  };
  // an object, not an async generator: `return()` must reach the source even while `next()` waits
  const mapped: AsyncGenerator<ExecutionResult> = {
    async next() {
      const next = await iterator.next();
      if (next.done) return { value: undefined, done: true };
      return { value: await resultFor(next.value), done: false };
    },
    async return() {
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    async throw(err: unknown) {
      await iterator.return?.();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
    [Symbol.asyncDispose]: async () => {
      await iterator.return?.();
    },
  };
  return mapped;
}
