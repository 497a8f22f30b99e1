import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serializedOpenApiDocument } from '../src/adapters/http/openApiDocument.js';

/** `npm run openapi`: regenerates the committed `openapi.json` from the code the service runs. */
const target = fileURLToPath(new URL('../openapi.json', import.meta.url));
writeFileSync(target, serializedOpenApiDocument());
process.stdout.write(`Wrote ${target}\n`);
