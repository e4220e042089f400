import { z } from 'zod';
import { MEMBER_ID_PATTERN } from '../ids';

const memberId = z.string().regex(MEMBER_ID_PATTERN, 'expected a member id: lowercase letters, digits and "-"');
const langTag = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 language tag');
const url = z.string().refine((v) => {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, 'expected an http(s) URL');

/** A public JWK as pinned in the registry. Private parts are refused. */
export const publicJwkSchema = z
  .looseObject({
    kty: z.enum(['OKP', 'EC']),
    kid: z.string().min(1).max(200),
    crv: z.enum(['Ed25519', 'P-256']),
    x: z.string().min(1),
    y: z.string().optional(),
    alg: z.enum(['EdDSA', 'ES256']).optional(),
    use: z.string().optional(),
  })
  .refine((k) => !('d' in k), 'a private key was pasted into the registry: pin only the public half');

export const revocationsSchema = z
  .strictObject({
    /** Token ids (`jti`) that this member has revoked. */
    jti: z.array(z.string().min(1).max(200)).default([]),
    /** Every token this member issued before this instant is revoked. */
    issuedBefore: z
      .union([z.date(), z.string()])
      .transform((v) => new Date(v))
      .refine((d) => !Number.isNaN(d.getTime()), 'expected an ISO date-time')
      .optional(),
  })
  .default({ jti: [] });

export const registryMemberSchema = z.strictObject({
  id: memberId,
  name: z.string().min(1).max(200),
  region: z.string().min(1).max(100),
  countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as "AR"')).default([]),
  languages: z.array(langTag).default([]),
  website: url.optional(),
  description: z.record(langTag, z.string().max(4000)).optional(),
  /** The member's subgraph endpoint. */
  url,
  keys: z.array(publicJwkSchema).default([]),
  /** Per-member deadline override, in ms. */
  deadlineMs: z.number().int().positive().max(60_000).optional(),
  revocations: revocationsSchema,
});

export const registryGatewaySchema = z.strictObject({
  id: z.string().regex(MEMBER_ID_PATTERN, 'expected a gateway id: lowercase letters, digits and "-"'),
  keys: z.array(publicJwkSchema).default([]),
  /**
   * The gateway's public GraphQL endpoints, as proven callers' proofs name them (`htu`): a
   * `proven` member accepts a forwarded proof only for an endpoint of the gateway that relays it.
   */
  endpoints: z.array(url).max(20).optional(),
});

/** One member's signature over the registry content: a JWS with a detached payload (signed-registry.ts). */
export const registrySignatureSchema = z.strictObject({
  member: memberId,
  jws: z
    .string()
    .regex(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/, 'expected a JWS with a detached payload ("header..signature")')
    .max(20_000),
});

/** `network.yaml`: the network's members and gateways. Other tools edit it, so the shape is fixed. */
export const registrySchema = z
  .strictObject({
    network: z.strictObject({ id: memberId, name: z.string().min(1).max(200) }),
    /** Serial number: a new version must carry a larger one (no rollback to an older version). */
    version: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    /** Members of the accepted version whose signatures make the next version take effect. */
    threshold: z.union([z.number().int().positive(), z.literal('majority')]).default('majority'),
    /** Members' signatures over everything else in the document (not part of the signed content). */
    signatures: z.array(registrySignatureSchema).max(1000).default([]),
    members: z.array(registryMemberSchema).default([]),
    gateways: z.array(registryGatewaySchema).default([]),
  })
  .superRefine(
    (r, ctx) => {
      // Runs even when other parts are invalid (`when`), so every problem is reported at once;
      // the members may then be partial.
      const seen = new Set<string>();
      (Array.isArray(r?.members) ? (r.members as unknown[]) : []).forEach((m, i) => {
        const id = m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined;
        if (typeof id !== 'string') return;
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['members', i, 'id'], message: `duplicate member id "${id}"` });
        seen.add(id);
      });
    },
    { when: () => true },
  );

export type Registry = z.infer<typeof registrySchema>;
export type RegistryMember = z.infer<typeof registryMemberSchema>;
export type RegistryGateway = z.infer<typeof registryGatewaySchema>;
export type RegistrySignature = z.infer<typeof registrySignatureSchema>;
export type PublicJwk = z.infer<typeof publicJwkSchema>;
