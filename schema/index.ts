/**
 * The network contract package: the member SDL (`member.graphql`) and its version, the enums
 * every part shares, the loader, the compatibility check, and the kind facts derived from the
 * SDL. Gateway, member subgraph and CLI import the contract from here.
 */
export * from './enums';
export { SCHEMA_MAJOR, SCHEMA_VERSION } from './version';
export { memberSdlPath, schemaDir } from './paths';
export { loadMemberContract, type MemberContract } from './contract';
export { checkCompatibility, type Compatibility } from './compatibility';
export { kindFacts, MAX_QUANTITY, type KindFacts, type RootFieldKind } from './kind-facts';
