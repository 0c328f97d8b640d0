// The `jose` connector descriptor: generic JWS/JWE for external systems (SPEC §5.2).
import { defineConnector, type PrepareContext } from '../../core/connector.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import type { StepContext } from '../../core/step-context.js';
import { PlatformError, type ErrorDetails } from '../../errors/index.js';
import { decodeToken } from './lib/decode.js';
import { decodeJwe } from './lib/decode-jwe.js';
import { generateJwe } from './lib/generate-jwe.js';
import { generateJws } from './lib/generate-jws.js';
import { generateNested } from './lib/generate-nested.js';
import { toJoseFailure } from './lib/jose-error.js';
import type { OpInput } from './lib/op-input.js';
import type { JoseParams } from './lib/read-params.js';
import { verifyJws } from './lib/verify-jws.js';
import { verifyNested } from './lib/verify-nested.js';
import { joseParameters } from './parameters.js';
import { prepareJose, type Operation, type PreparedJose } from './prepare.js';

const handlers: Record<Operation, (input: OpInput) => Promise<JsonObject>> = {
  'generate-jws': generateJws,
  'generate-jwe': generateJwe,
  'verify-jws': verifyJws,
  'decode-jwe': decodeJwe,
  decode: decodeToken,
  'generate-nested': generateNested,
  'verify-nested': verifyNested,
};

/** Prepares without a pipeline loader (direct calls): the first reported problem is thrown. */
function prepareStandalone(params: JsonObject): PreparedJose {
  const problems: PlatformError[] = [];
  const ctx: PrepareContext = { path: '', report: (error) => problems.push(error) };
  const prepared = prepareJose(params, ctx);
  if (problems[0]) throw problems[0];
  return prepared;
}

/** The `jose` connector. Not registered here: src/connectors/index.ts lists connectors. */
export const joseConnector = defineConnector<JoseParams, PreparedJose>({
  type: 'jose',
  version: 1,
  title: 'JOSE (JWS / JWE)',
  summary:
    'Signs, verifies, encrypts and decrypts JSON Web Signatures and Encryptions for third-party systems ' +
    '(compatible with "JWT V2"): every JWS and JWE algorithm of RFC 7518 plus ES256K and EdDSA, keys from ' +
    'accounts, inline JWKs or JWKS URLs, mandatory algorithm allow-lists and claim checks.',
  category: 'security',
  failOnErrorDefault: false,
  parameters: joseParameters,
  prepare: (params, ctx) => prepareJose(params, ctx),
  async run(ctx: StepContext, input) {
    const prepared = input.prepared ?? prepareStandalone(input.params as JsonObject);
    try {
      return await handlers[prepared.operation]({ ctx, params: input.params, prepared });
    } catch (err) {
      const failure = toJoseFailure(err, prepared.operation);
      throw failure.details.operation === undefined ? withOperation(failure, prepared.operation) : failure;
    }
  },
  errorOutput(error: PlatformError): JsonValue {
    const operation = typeof error.details.operation === 'string' ? error.details.operation : 'operation';
    return { success: false, message: `jose ${operation} failed`, error: error.message, code: error.code };
  },
  example: [
    'type: jose',
    'operation: verify-jws',
    'token: "{{ message.token }}"',
    'algorithms: [RS256]',
    'key: { jwksUrl: "https://issuer.example/.well-known/jwks.json" }',
    'issuer: https://issuer.example',
    'audience: my-api',
    'clockToleranceSec: 30',
  ].join('\n'),
});

/** The same error with the operation in its details (for errorOutput); message and cause unchanged. */
function withOperation(error: PlatformError, operation: string): PlatformError {
  const details: ErrorDetails = { ...error.details, operation };
  return new PlatformError(error.code, details, { cause: error.cause, message: error.message });
}
