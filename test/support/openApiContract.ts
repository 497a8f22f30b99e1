import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'chai';
import { buildOpenApiDocument } from '../../src/adapters/http/openApiDocument.js';
import type { TestResponse } from './httpClient.js';

const DOCUMENT_ID = 'openapi.json';

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  $ref?: string;
  headers?: Record<string, { $ref: string }>;
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
}
interface HeaderObject {
  required?: boolean;
  schema: Record<string, unknown>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { headers: Record<string, HeaderObject>; responses?: Record<string, ResponseObject> };
}

const pointer = (...segments: string[]): string =>
  segments.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/**
 * Validates live responses against the OpenAPI document the service serves: the status must be documented
 * for the operation, the media type must match (and a response documented without content must have no
 * body), the body must satisfy the documented schema (Ajv's JSON Schema 2020-12 dialect, which OpenAPI 3.1
 * uses), every required documented header must be present, and every documented header that is present must
 * satisfy its schema.
 */
export class OpenApiContract {
  readonly document = buildOpenApiDocument() as unknown as Document;
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });

  constructor() {
    addFormats.default(this.ajv);
    this.ajv.addSchema(this.document, DOCUMENT_ID);
  }

  expectResponseMatches(method: string, path: string, response: TestResponse): void {
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    expect(operation, `${method} ${path} is documented`).to.not.equal(undefined);
    const status = String(response.status);
    // A status the operation does not list is checked against its `default` response, if it has one.
    const documentedStatus = operation!.responses[status] === undefined ? 'default' : status;
    let documented = operation!.responses[documentedStatus];
    expect(documented, `${method} ${path} documents status ${status}`).to.not.equal(undefined);
    let responsePath = ['paths', path, method.toLowerCase(), 'responses', documentedStatus];
    // A response shared by several operations is a component they refer to.
    if (documented!.$ref !== undefined) {
      responsePath = documented!.$ref.replace(/^#\//, '').split('/');
      documented = this.document.components.responses?.[responsePath.at(-1)!];
      expect(documented, `${method} ${path} ${status}: ${responsePath.join('/')} exists`).to.not.equal(undefined);
    }

    if (documented!.content === undefined) {
      expect(response.text, `${method} ${path} ${status} has no body`).to.equal('');
      expect(response.headers['content-type'], `${method} ${path} ${status} has no body`).to.equal(undefined);
    } else {
      this.expectBodyMatches(`${method} ${path} ${status}`, responsePath, documented!.content, response);
    }
    this.expectHeadersMatch(method, path, status, documented!, response);
  }

  private expectBodyMatches(what: string, responsePath: string[], content: Record<string, MediaType>, response: TestResponse): void {
    const mediaType = response.headers['content-type']?.split(';')[0];
    expect(Object.keys(content), `${what} documents a body of its type`).to.include(mediaType);

    const schemaPath = pointer(...responsePath, 'content', mediaType!, 'schema');
    const validate = this.ajv.getSchema(`${DOCUMENT_ID}#/${schemaPath}`);
    expect(validate, `a schema at ${schemaPath}`).to.not.equal(undefined);
    const body = mediaType === 'application/json' ? response.json : response.text;
    const valid = validate!(body);
    expect(valid, `${what}: ${this.ajv.errorsText(validate!.errors)}\n${response.text}`).to.equal(true);
  }

  private expectHeadersMatch(method: string, path: string, status: string, documented: ResponseObject, response: TestResponse): void {
    for (const [name, { $ref }] of Object.entries(documented.headers ?? {})) {
      const header = this.document.components.headers[$ref.split('/').pop()!]!;
      const value = response.headers[name.toLowerCase()];
      if (value === undefined && header.required !== true) continue;
      expect(value, `${method} ${path} ${status} sends ${name}`).to.not.equal(undefined);
      const headerSchema = this.ajv.compile(header.schema);
      // Set-Cookie arrives as one value per cookie; each must satisfy the header's schema.
      for (const one of Array.isArray(value) ? value : [value]) {
        const typed = header.schema.type === 'integer' ? Number(one) : one;
        expect(headerSchema(typed), `${name}: ${String(one)}`).to.equal(true);
      }
    }
  }
}
