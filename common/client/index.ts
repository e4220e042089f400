/**
 * The client module for bots and scripts: `import { createProvenFetch, readCallerKeyFile } from 'infrared-network-graph/client'`
 * (package.json `exports`). Proven callers: docs/query-the-network.md, "Bots with a bound token".
 */
export { createProvenFetch, provenRequestHeaders, isBoundToken, type ProvenCaller, type ProvenFetch } from '../auth/caller-proof-client';
export { readCallerKeyFile, readCallerPublicKey, writeCallerKeyFiles } from '../auth/caller-key-file';
export { createCallerKeyPair, callerKeyThumbprint, type CallerKeyPair } from '../auth/caller-proof';
