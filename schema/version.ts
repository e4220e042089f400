/**
 * The network schema version. Compatibility rule: within a major version, changes are additive
 * only (new types, new fields, new optional arguments, new enum values). Removing or narrowing
 * anything needs a new major version. See schema/README.md.
 */
export const SCHEMA_VERSION = '1.3.0';
export const SCHEMA_MAJOR = Number(SCHEMA_VERSION.split('.')[0]);
