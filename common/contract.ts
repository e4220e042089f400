/**
 * The contract's enums moved to the contract package (`schema/`). This re-export keeps the
 * member subgraph's imports working until they name `schema/` themselves; new code imports
 * from `schema/index.ts`.
 */
export * from '../schema/enums';
