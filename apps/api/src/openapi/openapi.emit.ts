// `npm run openapi`: writes the api's OpenAPI document where the dashboard generates its
// types from (or to the path given), with no store running.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { buildOpenApiDocumentWithoutStore, OPENAPI_JSON_PATH, serializeOpenApiDocument } from './openapi.document';

async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? OPENAPI_JSON_PATH);
  const document = await buildOpenApiDocumentWithoutStore();
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, serializeOpenApiDocument(document));
  console.log(`OpenAPI document (${Object.keys(document.paths).length} paths) written to ${target}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
