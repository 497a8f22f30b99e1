import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import { STATUS_BY_CODE } from '../../../src/adapters/http/errorMiddleware.js';
import { JSON_BODY_LIMIT_BYTES } from '../../../src/adapters/http/jsonBody.js';
import { buildOpenApiDocument, serializedOpenApiDocument } from '../../../src/adapters/http/openApiDocument.js';
import { createListenerProfile } from '../../../src/domain/listenerProfile.js';
import { PROFILE_FIELDS, PROFILE_RULES, patternOf } from '../../../src/domain/profileRules.js';

interface FieldSchema {
  minLength: number;
  maxLength: number;
  pattern: string;
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}
interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components: {
    schemas: { StartSessionRequest: { required: string[]; properties: Record<string, FieldSchema> } };
    responses: Record<string, ResponseObject>;
  };
}

const document = buildOpenApiDocument() as unknown as Doc;

describe('The OpenAPI document', () => {
  it('is exactly what is committed as openapi.json (run `npm run openapi` after changing the API)', () => {
    const committed = readFileSync(new URL('../../../openapi.json', import.meta.url), 'utf8');
    expect(committed).to.equal(serializedOpenApiDocument());
  });

  it('takes each field’s lengths and pattern from the profile rules the domain validates with', () => {
    const request = document.components.schemas.StartSessionRequest;
    expect(request.required).to.deep.equal([...PROFILE_FIELDS]);
    for (const field of PROFILE_FIELDS) {
      const rule = PROFILE_RULES[field];
      expect(request.properties[field]).to.include({ minLength: rule.minLength, maxLength: rule.maxLength, pattern: patternOf(rule) });
    }
  });

  it('agrees with the domain on normalized values, valid and invalid', () => {
    const ajv = new Ajv2020({ strict: false });
    const validateName = ajv.compile(document.components.schemas.StartSessionRequest.properties.name!);
    const validateCity = ajv.compile(document.components.schemas.StartSessionRequest.properties.city!);
    const names = [
      ...['Budi', 'José', 'Nguyễn Văn An', '李小龍', "O'Brien", 'Jean-Luc', 'R2', '<script>', 'a\u200bb', 'x\u202ey', '---', ''],
      ...['देवनागरी', 'ปิ่นทอง', 'שַּׁמַּאי', 'བསྒྲུབས', 'x\u0300\u0300\u0300\u0300', 'x\u0300\u0300\u0300\u0300\u0300'],
      // Default-ignorable letters and marks, and zalgo: the review's lookalikes that once got a 201.
      ...['\u3164', '\u1160', '\u115F', '\uFFA0', 'Budi\uFE0F\uFE0F\u034F', 'Budi\u{E0100}', `A${'\u0300'.repeat(79)}`],
    ];
    const cities = ['Solo', 'S', 'Yogyakarta (DIY)', 'Solo1', "'s-Hertogenbosch", '..', 'ยะลา', 'Solo\u3164', `Solx${'\u0301'.repeat(5)}`];
    for (const name of names) {
      const domainAccepts = createListenerProfile({ name, city: 'Solo', country: 'Indonesia' }).ok;
      expect(validateName(name), `name ${JSON.stringify(name)}`).to.equal(domainAccepts);
    }
    for (const city of cities) {
      const domainAccepts = createListenerProfile({ name: 'Budi', city, country: 'Indonesia' }).ok;
      expect(validateCity(city), `city ${JSON.stringify(city)}`).to.equal(domainAccepts);
    }
  });

  it('documents every request failure of POST /livechat/session with the status the error table gives it', () => {
    const responses = document.paths['/livechat/session']!.post!.responses;
    const { malformed_body, payload_too_large, unsupported_media_type, expectation_failed, not_an_object, rate_limited, internal, store_unavailable } =
      STATUS_BY_CODE;
    const expected = [
      ...[201, malformed_body, payload_too_large, unsupported_media_type, expectation_failed],
      ...[not_an_object, rate_limited, internal, store_unavailable],
    ];
    const { default: anyOther, ...byStatus } = responses;
    expect(Object.keys(byStatus).map(Number).sort()).to.deep.equal([...new Set(expected)].sort());
    expect(anyOther, 'the failures every path shares').to.not.equal(undefined);
    expect(JSON.stringify(document.paths['/livechat/session'])).to.include(`at most ${JSON_BODY_LIMIT_BYTES} bytes`);
  });

  it('gives every documented status of every route a response schema, except a 204 or 304, which have no body', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, given] of Object.entries(operation.responses)) {
          const response = given.$ref === undefined ? given : document.components.responses[given.$ref.split('/').pop()!]!;
          expect(response, `${method} ${path} ${status}: ${given.$ref}`).to.not.equal(undefined);
          // RFC 9110, 15.3.5 and 15.4.5.
          if (status === '204' || status === '304') {
            expect(response.content, `${method} ${path} ${status}`).to.equal(undefined);
            continue;
          }
          const media = Object.values(response.content ?? {});
          expect(media, `${method} ${path} ${status}`).to.have.length.greaterThan(0);
          for (const { schema } of media) expect(schema, `${method} ${path} ${status}`).to.be.an('object');
        }
      }
    }
  });
});
