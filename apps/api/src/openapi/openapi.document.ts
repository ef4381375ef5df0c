import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, getSchemaPath, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from '../app.module';
import { AccessTokens } from '../auth/access-tokens';
import { CLOSED_BODY_MODELS, NAMED_BODY_SCHEMAS } from '../intake/dto/posted-event.dto';

/** Where `npm run openapi` writes the document, relative to the repository: the dashboard generates its types from it. */
export const OPENAPI_JSON_PATH = 'apps/dashboard/src/api/openapi.json';

/** The name of the security scheme every guarded route names. */
export const BEARER_SCHEME = 'bearer';

function openApiConfig(): Omit<OpenAPIObject, 'paths'> {
  return (
    new DocumentBuilder()
      .setTitle('newsroom-ledger')
      .setDescription(
        'Newsroom tools post facts about developing stories; the ledger records them as events in EventStoreDB. ' +
          'Every error is an RFC 9457 Problem Details body (application/problem+json) with a stable `code`.',
      )
      .setVersion('0.1.0')
      // Opaque tokens from NEWSROOM_TOKENS, compared by digest: nothing in them is for a client to read (not JWTs).
      .addSecurity(BEARER_SCHEME, { type: 'http', scheme: 'bearer', description: 'A token from NEWSROOM_TOKENS (opaque)' })
      .build()
  );
}

/** The OpenAPI document of an app's routes, from the decorators on its controllers and DTOs. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, openApiConfig());
  const schemas = ((document.components ??= {}).schemas ??= {});
  Object.assign(schemas, NAMED_BODY_SCHEMAS);
  // A class's decorators cannot say "no other field" in @nestjs/swagger: stated here for the bodies that mean it.
  for (const model of CLOSED_BODY_MODELS) {
    const schema = schemas[getSchemaPath(model).slice('#/components/schemas/'.length)];
    if (schema !== undefined && !('$ref' in schema)) schema.additionalProperties = false;
  }
  return document;
}

/**
 * The same document with no store, no port and no thread: Nest's preview mode scans the
 * modules and their controllers without creating a single provider, so the values AppModule
 * hands to providers are never touched.
 */
export async function buildOpenApiDocumentWithoutStore(): Promise<OpenAPIObject> {
  const untouched = {} as never;
  const app = await NestFactory.create(
    AppModule.register({ store: untouched, appender: untouched, tokens: AccessTokens.parse(undefined) }),
    new FastifyAdapter(),
    { preview: true, logger: false, abortOnError: false },
  );
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** Pretty JSON with every object's keys sorted, so the same routes always give the same bytes. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}
