import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocumentWithoutStore, OPENAPI_JSON_PATH, serializeOpenApiDocument } from './openapi.document';

const REPOSITORY = resolve(__dirname, '../../../..');

interface Operation {
  readonly name: string;
  readonly responses: Record<string, { content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> }>;
}

function operations(document: OpenAPIObject): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    (['get', 'post', 'put', 'patch', 'delete'] as const)
      .filter((method) => item[method] !== undefined)
      .map((method) => ({ name: `${method.toUpperCase()} ${path}`, responses: item[method]!.responses as Operation['responses'] })),
  );
}

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

  it('then every route documents its success answer with a schema', () => {
    const undocumented = operations(document).filter(({ responses }) => {
      const success = Object.entries(responses).find(([status]) => status.startsWith('2'))?.[1];
      const content = Object.values(success?.content ?? {});
      return content.length === 0 || content.some((media) => media.schema === undefined);
    });

    expect(undocumented.map(({ name }) => name)).toEqual([]);
  });

  it('then every error answer is Problem Details as application/problem+json, with the codes it can carry', () => {
    const errors = operations(document).flatMap(({ name, responses }) =>
      Object.entries(responses)
        .filter(([status]) => /^[45]/.test(status))
        .map(([status, response]) => ({ name: `${name} ${status}`, content: response.content, headers: Object.keys(response.headers ?? {}) })),
    );

    expect(errors.length).toBeGreaterThan(30);
    for (const { name, headers } of errors) {
      if (name.endsWith(' 401')) expect({ name, headers }).toEqual({ name, headers: ['WWW-Authenticate'] });
      if (name.endsWith(' 503')) expect({ name, headers }).toEqual({ name, headers: ['Retry-After'] });
      if (name.endsWith(' 429')) expect({ name, headers }).toEqual({ name, headers: expect.arrayContaining(['Retry-After', 'RateLimit-Limit']) });
    }
    for (const { name, content } of errors) {
      expect({ name, types: Object.keys(content ?? {}) }).toEqual({ name, types: ['application/problem+json'] });
      const schema = content!['application/problem+json']!.schema!;
      expect({ name, schema }).toEqual({
        name,
        schema: expect.objectContaining({
          allOf: [{ $ref: '#/components/schemas/ProblemDetails' }],
          properties: { code: { type: 'string', enum: expect.arrayContaining([expect.stringMatching(/^[A-Z][A-Z0-9_]+$/)]) } },
        }),
      });
    }
  });

  it('then the intake body is one event or an array of them, told apart by `type`, with no field beyond those listed', () => {
    const schemas = document.components!.schemas! as Record<string, Record<string, unknown>>;
    expect(schemas.PostedEvent).toEqual(
      expect.objectContaining({ discriminator: expect.objectContaining({ propertyName: 'type' }), oneOf: expect.any(Array) }),
    );
    for (const type of ['ReportPublished', 'SourceCited', 'CompanyDenied', 'CompanyConfirmed', 'ReportCorrected', 'ReportRetracted']) {
      expect({ type, envelope: schemas[`${type}Event`]?.additionalProperties, data: schemas[`${type}Dto`]?.additionalProperties }).toEqual({
        type,
        envelope: false,
        data: false,
      });
    }
  });

  it('then the bearer scheme is an opaque token, not a JWT', () => {
    expect(document.components?.securitySchemes?.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(document.components?.securitySchemes?.bearer).not.toHaveProperty('bearerFormat');
  });
});
