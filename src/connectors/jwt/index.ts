// jwt: platform tokens — generate (login), decode (claims of the caller's token), revoke (logout). SPEC §5.1.
import { defineConnector } from '../../core/connector.js';
import { isJsonObject, jsonTypeOf } from '../../core/json.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import type { StepContext } from '../../core/step-context.js';
import { PlatformError } from '../../errors/index.js';
import type { TokenService } from '../../security/tokens/token-service.js';

declare module '../../core/step-context.js' {
  interface HostServices {
    /** Platform tokens of the realm and environment (gateway, or `pipegate run` with a local store). */
    tokens?: TokenService;
  }
}

/**
 * Parameters after the engine's check (src/core/parameter-values.ts): numeric text is a number, a
 * number is text where text is declared, and an empty or null optional value is absent.
 */
interface JwtParams {
  operation: 'generate' | 'decode' | 'revoke';
  scopes?: string | string[];
  expirationMs?: number;
  subject?: string;
  tokenIn: 'header' | 'body' | 'both';
  jti?: string;
  allowAnyConsumer: boolean;
}

function tokenService(ctx: StepContext): TokenService {
  const tokens = ctx.host.tokens;
  if (!tokens)
    throw new PlatformError('ERR_JWT_SERVICE_UNAVAILABLE', {
      reason: 'this host has no token service',
    });
  return tokens;
}

/** `"read, write"` or `["read","write"]` (an expression may render an array) → `['read','write']`. */
function scopeList(value: string | string[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : value.split(',');
  return list.map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Why `message` looks like the error output of a failed step (SPEC §3 error object, or a
 * `failOnError: false` output with `success: false`), or null. A token is never minted from one.
 */
export function errorOutputReason(message: JsonObject): string | null {
  if (message.success === false && ('error' in message || 'message' in message))
    return 'the message has "success": false';
  if (typeof message.code === 'number' && 'error' in message)
    return 'the message is an error object with "error" and a numeric "code"';
  return null;
}

async function generate(ctx: StepContext, p: JwtParams, message: JsonValue): Promise<JsonValue> {
  const tokens = tokenService(ctx);
  const consumer = ctx.auth?.consumer;
  if (!consumer) throw new PlatformError('ERR_JWT_NO_CONSUMER');
  if (!isJsonObject(message))
    throw new PlatformError('ERR_JWT_CLAIMS_NOT_OBJECT', { type: jsonTypeOf(message) });
  const failed = errorOutputReason(message);
  if (failed !== null) throw new PlatformError('ERR_JWT_ERROR_MESSAGE', { reason: failed });
  const issued = await tokens.issue({
    consumer,
    subject: p.subject,
    claims: message,
    scopes: scopeList(p.scopes),
    lifetimeMs: p.expirationMs,
    pipeline: ctx.pipeline.name,
    executionKey: ctx.executionKey,
    sensitiveFields: ctx.pipeline.sensitiveFields,
    // A login request with a valid DPoP proof gets a token bound to the proof key (RFC 9449 §5).
    ...(ctx.request.dpopJkt === undefined ? {} : { jkt: ctx.request.dpopJkt }),
  });
  const scheme = ctx.request.dpopJkt === undefined ? 'Bearer' : 'DPoP';
  const out: JsonObject = { status: 'logged' };
  // RFC 6749 §5.1: a response carrying a token must not be stored by browsers or proxies.
  ctx.response.setHeader('Cache-Control', 'no-store');
  ctx.response.setHeader('Pragma', 'no-cache');
  if (p.tokenIn === 'header' || p.tokenIn === 'both') {
    ctx.response.setHeader('Authorization', `${scheme} ${issued.token}`);
    ctx.response.setHeader('Access-Control-Expose-Headers', 'Authorization');
  }
  if (p.tokenIn === 'body' || p.tokenIn === 'both') {
    out.access_token = issued.token;
    out.token_type = scheme;
    out.expires_in = issued.expiresIn;
  }
  return out;
}

async function verifiedCaller(ctx: StepContext, allowRevoked: boolean) {
  const tokens = tokenService(ctx);
  const token = ctx.request.bearerToken;
  if (!token) throw new PlatformError('ERR_JWT_TOKEN_MISSING');
  const r = await tokens.verify(token);
  if (r.ok) return { tokens, jti: r.jti, exp: r.exp, claims: r.claims };
  if (r.reason === 'unavailable')
    throw new PlatformError('ERR_JWT_SERVICE_UNAVAILABLE', {
      reason: 'token verification could not reach the store',
    });
  if (r.reason === 'revoked' && allowRevoked) return { tokens, jti: null, exp: 0, claims: null };
  throw new PlatformError('ERR_JWT_INVALID_TOKEN');
}

async function decode(ctx: StepContext): Promise<JsonValue> {
  const { claims } = await verifiedCaller(ctx, false);
  return { body: { dataToken: JSON.parse(JSON.stringify(claims)) as JsonObject } };
}

async function revoke(ctx: StepContext, p: JwtParams): Promise<JsonValue> {
  const jti = p.jti;
  if (jti !== undefined) {
    if (p.allowAnyConsumer === true) {
      await tokenService(ctx).revoke({ jti });
      return { status: 'revoked', jti };
    }
    // The jti may come from the request: without the explicit opt-in it only ever reaches the
    // calling consumer's own tokens (a consumer_jti revocation), never another consumer's.
    const owner = ctx.auth?.consumer;
    if (!owner) throw new PlatformError('ERR_JWT_REVOKE_NO_CONSUMER');
    await tokenService(ctx).revoke({ jti, owner });
    return { status: 'revoked', jti };
  }
  const caller = await verifiedCaller(ctx, true);
  // Logging out with a token that is already revoked is not an error (logout is idempotent).
  if (caller.jti === null) return { status: 'revoked' };
  await caller.tokens.revoke({ jti: caller.jti, expiresAt: caller.exp * 1000 });
  return { status: 'revoked', jti: caller.jti };
}

export const jwtConnector = defineConnector<JwtParams>({
  type: 'jwt',
  version: 1,
  title: 'JWT (platform tokens)',
  category: 'security',
  summary:
    '`generate` mints a platform access token (RFC 9068, signed with the realm key) for the authenticated consumer: the message\'s top-level fields become private claims (sensitive and registered names are refused), and the token goes to the `Authorization` response header and/or the body; the output is `{ "status": "logged" }` (+ `access_token`, `token_type`, `expires_in` with `tokenIn: body|both`). When the login request carried a valid DPoP proof (RFC 9449, checked by the gateway), the token is bound to its key (`cnf.jkt`) and sent as `Authorization: DPoP …` with `token_type: DPoP` (docs/oauth.md). `decode` verifies the bearer token of the current request exactly as the gateway does and outputs `{ "body": { "dataToken": { …claims } } }`. `revoke` revokes the current request\'s token (or the calling consumer\'s token `jti`; any consumer\'s only with `allowAnyConsumer: true`) on every node within the refresh bound. generate never mints from the error output of a failed step (`ERR_JWT_ERROR_MESSAGE`) nor a token over the 16 KiB the gateway accepts (`ERR_JWT_TOKEN_TOO_LARGE`). With `failOnError: false` a failure outputs `{ "error", "code", "success": false }`.',
  failOnErrorDefault: false,
  parameters: {
    operation: {
      schema: { enum: ['generate', 'decode', 'revoke'] },
      default: 'generate',
      description: 'What to do.',
    },
    scopes: {
      // A list is accepted too (an expression may render one); numbers in it become text.
      schema: { type: ['string', 'array'], items: { type: 'string' } },
      expression: 'render',
      default: '',
      description:
        "Comma-separated scopes of the token (generate); each must be within the consumer's scope ceiling.",
    },
    expirationMs: {
      // Numeric text is accepted (the engine coerces it); the realm policy checks the range.
      schema: { type: 'number' },
      expression: 'render',
      description:
        'Token lifetime in milliseconds (generate); default the realm default (15 minutes), capped by the realm policy maxTokenLifetimeMs, at most 365 days.',
    },
    subject: {
      schema: { type: 'string', minLength: 1 },
      expression: 'render',
      description: 'The `sub` claim (generate); default the authenticated consumer.',
    },
    tokenIn: {
      schema: { enum: ['header', 'body', 'both'] },
      default: 'header',
      description:
        'Where generate returns the token: the Authorization response header, the body, or both.',
    },
    jti: {
      schema: { type: 'string', minLength: 1 },
      expression: 'render',
      description:
        "Token id to revoke (revoke); default the token of the current request. Only a token of the calling (authenticated) consumer is revoked unless `allowAnyConsumer: true`.",
    },
    allowAnyConsumer: {
      schema: { type: 'boolean' },
      default: false,
      description:
        "Revoke: let `jti` revoke a token of ANY consumer (an administrative logout pipeline). A literal, never an expression; default false: a `jti` revokes only the calling consumer's token.",
    },
  },
  async run(ctx, { params, message }) {
    if (params.operation === 'decode') return decode(ctx);
    if (params.operation === 'revoke') return revoke(ctx, params);
    return generate(ctx, params, message);
  },
  errorOutput: (error) => ({ error: error.message, code: error.status, success: false }),
  example:
    'type: jwt\noperation: generate\nscopes: "{{ IF(EQUALTO(message.role, \\"admin\\"), \\"read,write\\", \\"read\\") }}"\nexpirationMs: 900000\ntokenIn: header',
});
