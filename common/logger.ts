import pino, { type Logger } from 'pino';

/**
 * Paths that must never reach a log line: tokens, assertions and anything that carries them.
 * Kept in one list so the gateway and the member subgraphs redact the same things.
 */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["infrared-assertion"]',
  '*.headers["infrared-assertion"]',
  'headers["infrared-assertion-proof"]',
  '*.headers["infrared-assertion-proof"]',
  'assertion',
  '*.assertion',
  'privateKey',
  '*.privateKey',
  'd',
  '*.d',
  // caller proofs (the `DPoP` header) and what a gateway forwards with them
  'proof',
  '*.proof',
  'headers.dpop',
  '*.headers.dpop',
  'infraredCallerProof',
  '*.infraredCallerProof',
];

/** One pino logger per service, JSON to stdout, with tokens redacted. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: name },
  });
}

export type { Logger };
