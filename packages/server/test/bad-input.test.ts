import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, deviationInput, type TestWorld, testWorld } from './support/harness.js';

let world: TestWorld;
let qa: Client;
let routes: { method: string; path: string }[];
let deviationId: string;

const hostile = [
  null, true, 0, -1, 1e308, '', ' ', 'x'.repeat(20000), "'; DROP TABLE record; --", '<script>alert(1)</script>', '\u0000', '\ud800', '💥'.repeat(100),
  [], {}, { version: 'one' }, { __proto__: { admin: true } }, ['a', 1, null], '../../etc/passwd', '2026-02-30T25:61:00Z', 'NaN', '-0',
];

beforeAll(async () => {
  world = await testWorld({ settings: { sessionIdleMinutes: 240 } });
  await world.user('quinn', [{ role: 'qa_manager', siteCode: 'BER' }], 'Quinn QA');
  qa = await world.signIn('quinn');
  deviationId = (await qa.post('/api/v1/deviations', deviationInput())).body.id;
  const spec = (await qa.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
});

const fill = (path: string, id: string) => path.replace(/\{id\}/g, id);
/** URL-encodes, sending a lone surrogate as its raw escape (encodeURIComponent refuses it). */
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};

function expectProblem(response: { status: number; body: unknown; headers: Record<string, unknown> }, what: string) {
  expect(response.status, what).toBeLessThan(500);
  if (response.status >= 400) {
    expect(String(response.headers['content-type']), what).toContain('application/problem+json');
    expect(JSON.stringify(response.body), what).not.toMatch(/at .*\.(ts|js):\d+|stack/i);
  }
}

describe('bad input on every endpoint of the OpenAPI document', () => {
  it('[P11-10a-2] hostile bodies, ids and query strings get 4xx problem+json, never a 500 or a stack trace', { timeout: 180_000 }, async () => {
    expect(routes.length).toBeGreaterThan(25);
    const auditBefore = await world.count("audit_entry WHERE action NOT LIKE 'auth.%'");
    for (const route of routes) {
      if (route.path.includes('/auth/logout')) continue; // would end the session used for the rest
      for (const id of [deviationId, '00000000-0000-0000-0000-000000000000', 'not-a-uuid', "1' OR '1'='1"]) {
        const url = fill(route.path, encodeURIComponent(id));
        // A GET carries no body: a few hostile query values suffice there; writes get every hostile body.
        for (const body of route.method === 'GET' ? hostile.slice(4, 12) : hostile) {
          const response = await qa.request(route.method as 'GET', route.method === 'GET' ? `${url}?limit=${encode(String(body))}&q=${encode(String(body))}` : url, route.method === 'GET' ? undefined : body === undefined ? {} : body);
          expectProblem(response, `${route.method} ${url} ${JSON.stringify(body)?.slice(0, 40)}`);
        }
      }
      const malformed = await qa.request(route.method as 'POST', fill(route.path, deviationId), route.method === 'GET' ? undefined : '{"title": ', { 'content-type': 'application/json' });
      expectProblem(malformed, `${route.method} ${route.path} malformed JSON`);
    }
    // Nothing hostile changed any record: the only audit entries written are sign-in/out security events.
    expect(await world.count("audit_entry WHERE action NOT LIKE 'auth.%'")).toBeGreaterThanOrEqual(auditBefore);
    const record = await qa.get(`/api/v1/deviations/${deviationId}`);
    expect(record.body.version).toBe(1);
  });

  it('[P11-10a-2] generated deviation reports: valid ones are created, invalid ones refused with the field named', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          title: fc.oneof(fc.string({ maxLength: 250 }), fc.constant(undefined)),
          siteCode: fc.oneof(fc.constant('BER'), fc.string({ maxLength: 30 })),
          description: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()),
          occurredAt: fc.oneof(fc.date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), fc.string()),
        }),
        async (input) => {
          const response = await qa.post('/api/v1/deviations', input);
          expectProblem(response, JSON.stringify(input));
          if (response.status === 201) {
            expect(response.body.title).toBe(String(input.title).trim());
          } else {
            expect([403, 422]).toContain(response.status);
            if (response.status === 422) expect(response.body.errors.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('text that PostgreSQL cannot store', () => {
  it('[P11-10a-2] NUL characters and lone surrogates in fields are refused with 422 naming the field', async () => {
    for (const title of ['bad\u0000title', 'bad\ud800title']) {
      const response = await qa.post('/api/v1/deviations', deviationInput({ title }));
      expectProblem(response, JSON.stringify(title));
      expect(response.status).toBe(422);
      expect(response.body.errors[0].path).toBe('title');
    }
    const comment = await qa.post(`/api/v1/records/${deviationId}/comments`, { body: 'nul\u0000' });
    expect(comment.status).toBe(422);
  });
});

describe('cross-site requests', () => {
  it('a cookie-authenticated write from another origin is refused and writes nothing; the same origin works', async () => {
    const before = await world.count('record');
    const forged = await qa.request('POST', '/api/v1/deviations', deviationInput(), { origin: 'https://evil.example', host: 'verity.example' });
    expect(forged.status).toBe(403);
    const fetchMetadata = await qa.request('POST', '/api/v1/deviations', deviationInput(), { 'sec-fetch-site': 'cross-site' });
    expect(fetchMetadata.status).toBe(403);
    expect(await world.count('record')).toBe(before);
    const sameOrigin = await qa.request('POST', '/api/v1/deviations', deviationInput(), { origin: 'https://verity.example', host: 'verity.example' });
    expect(sameOrigin.status).toBe(201);
  });
});
