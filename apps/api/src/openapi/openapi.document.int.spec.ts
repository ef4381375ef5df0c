import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocumentWithoutStore, OPENAPI_JSON_PATH, serializeOpenApiDocument } from './openapi.document';

const REPOSITORY = resolve(__dirname, '../../../..');

describe('the OpenAPI document', () => {
  let document: OpenAPIObject;

  beforeAll(async () => {
    document = await buildOpenApiDocumentWithoutStore();
  });

  it('when built without a store, then an OpenAPI validator finds it valid', async () => {
    // The validator resolves references in place: it gets a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    expect(document.openapi).toMatch(/^3\./);
  });

  it('when compared with the committed apps/dashboard copy, then it is the same (else run `npm run openapi`)', async () => {
    const committed = await readFile(resolve(REPOSITORY, OPENAPI_JSON_PATH), 'utf8');

    expect(committed).toBe(serializeOpenApiDocument(document));
  });

  it('when serialised twice, then the bytes are the same', async () => {
    expect(serializeOpenApiDocument(await buildOpenApiDocumentWithoutStore())).toBe(serializeOpenApiDocument(document));
  });

  it('then the bearer scheme is an opaque token, not a JWT', () => {
    expect(document.components?.securitySchemes?.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(document.components?.securitySchemes?.bearer).not.toHaveProperty('bearerFormat');
  });
});
