// GET /openapi.json: the OpenAPI 3.1 document of the pipelines this gateway serves publicly.
import type { FastifyInstance } from 'fastify';
import type { DeploymentSet } from '../deployments/deployment-set.js';
import { OPENAPI_PATH, openApiDocument } from './openapi-document.js';

/** What the route needs from the gateway (GatewayState provides it). */
export interface OpenApiServices {
  deployments: DeploymentSet;
  readonly realm: string;
  readonly environment: string;
  publicUrl(): string;
}

/** Registers GET /openapi.json on the main listener; the document follows deployments live. */
export function registerOpenApiRoute(app: FastifyInstance, s: OpenApiServices): void {
  app.get(OPENAPI_PATH, async (_req, reply) =>
    reply.header('cache-control', 'no-cache').send(
      openApiDocument(s.deployments.served.values(), {
        realm: s.realm,
        environment: s.environment,
        baseUrl: s.publicUrl() || null,
      }),
    ),
  );
}
