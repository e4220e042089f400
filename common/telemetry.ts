/**
 * Apollo's gateway reports usage to Apollo's servers unless this variable is set, and Apollo
 * Server reports when an Apollo key is in the environment. The network's users must never leak
 * metadata to a third party, so this module is imported before any Apollo package loads.
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
delete process.env.APOLLO_KEY;
delete process.env.APOLLO_GRAPH_REF;
delete process.env.APOLLO_SCHEMA_REPORTING;
export {};
