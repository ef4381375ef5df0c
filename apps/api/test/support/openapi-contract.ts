// Checks real answers against the api's own OpenAPI document with ajv: what keeps the
// dashboard's generated types honest.
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Answer } from './api.harness';

type Json = Record<string, unknown>;

export interface Contract {
  /** The answer has a status the route documents, and its body is valid against that response's schema. */
  expectDocumented(answer: Answer, method: string, path: string): void;
  /** A body against one of the document's component schemas, by name. */
  expectSchema(name: string, body: unknown): void;
  /** Whether a body is valid against a component schema, by name. */
  accepts(name: string, body: unknown): boolean;
}

/**
 * A documented object lists every field the api sends: for the check, an object schema with
 * properties and no word on other fields refuses any other (the document itself leaves them
 * open, so clients keep working when a field is added).
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Json = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = key === 'example' ? value : closeObjects(value);
  if (copy.type === 'object' && copy.properties !== undefined && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

export function contractOf(document: Json): Contract {
  // `oneOf` alone tells the posted events apart; ajv's discriminator keyword takes no `mapping`.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const components = closeObjects(document.components) as Json;
  const compiled = new Map<string, ValidateFunction>();
  // Each schema is compiled with the components beside it, where its `#/components/...` references point.
  const validatorOf = (key: string, schema: unknown): ValidateFunction => {
    let validate = compiled.get(key);
    if (validate === undefined) {
      validate = ajv.compile({ ...(closeObjects(schema) as Json), components });
      compiled.set(key, validate);
    }
    return validate;
  };
  const check = (what: string, validate: ValidateFunction, body: unknown): void => {
    const valid = validate(body);
    expect({ what, errors: valid ? [] : ajv.errorsText(validate.errors, { separator: '\n' }).split('\n') }).toEqual({ what, errors: [] });
  };
  return {
    expectDocumented(answer, method, path) {
      const operation = ((document.paths as Json)[path] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
      expect({ route: `${method} ${path}`, documented: operation !== undefined }).toEqual({ route: `${method} ${path}`, documented: true });
      const response = (operation!.responses as Json)[String(answer.status)] as Json | undefined;
      const what = `${method} ${path} ${answer.status}`;
      expect({ what, documented: response !== undefined }).toEqual({ what, documented: true });
      const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
      const media = (response!.content as Json | undefined)?.[mediaType] as Json | undefined;
      expect({ what, mediaType, documented: media?.schema !== undefined }).toEqual({ what, mediaType, documented: true });
      check(what, validatorOf(`${what} ${mediaType}`, media!.schema), answer.body);
    },
    expectSchema(name, body) {
      const schema = (components.schemas as Json)[name];
      expect({ name, documented: schema !== undefined }).toEqual({ name, documented: true });
      check(name, validatorOf(`#${name}`, { $ref: `#/components/schemas/${name}` }), body);
    },
    accepts(name, body) {
      return validatorOf(`#${name}`, { $ref: `#/components/schemas/${name}` })(body);
    },
  };
}
