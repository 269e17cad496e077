import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { Services } from '@verity/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerAuthentication, registerAuthenticationGate } from './http/auth.js';
import { errorHandler, problem, sendProblem } from './http/problem.js';
import { authRoutes } from './routes/auth.js';
import { capaRoutes } from './routes/capa.js';
import { deviationRoutes } from './routes/deviations.js';
import { documentRoutes } from './routes/documents.js';
import { recordRoutes } from './routes/records.js';
import { systemRoutes } from './routes/system.js';
import { trainingRoutes } from './routes/training.js';
import { userRoutes } from './routes/users.js';

export const webDist = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface AppOptions {
  services: Services;
  logLevel?: string;
  cookieSecure?: 'auto' | 'true' | 'false';
  setupToken?: string | null;
  version?: { version: string; commit: string };
  /** Serve the built web app from packages/web/dist (on by default when it exists). */
  serveWeb?: boolean;
  /** Trust X-Forwarded-For for the client address: only behind a reverse proxy that sets it. */
  trustProxy?: boolean;
  /** Sign-in and setup attempts per minute per client address. */
  loginRateLimit?: number;
}

/** Builds the HTTP application: every route is a thin shell over a core command. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info', redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'] },
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    genReqId: () => crypto.randomUUID(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyMultipart, { limits: { fileSize: 25 * 1024 * 1024, files: 1, fields: 5 } });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Verity eQMS API', version: options.version?.version ?? '0.0.0', description: 'Every action of the Verity web application. Errors are RFC 9457 problem+json with a stable code.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'verity_session' }, bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerAuthentication(app, options.services);
  registerAuthenticationGate(app);
  const setupToken = { value: options.setupToken ?? null };
  await app.register(authRoutes, { services: options.services, cookieSecure: options.cookieSecure ?? 'auto', setupToken, loginRateLimit: options.loginRateLimit ?? 20 });
  await app.register(deviationRoutes, { services: options.services });
  await app.register(recordRoutes, { services: options.services });
  await app.register(documentRoutes, { services: options.services });
  await app.register(trainingRoutes, { services: options.services });
  await app.register(capaRoutes, { services: options.services });
  await app.register(userRoutes, { services: options.services });
  await app.register(systemRoutes, { services: options.services, version: options.version ?? { version: '0.0.0', commit: 'unknown' } });

  const serveWeb = (options.serveWeb ?? true) && existsSync(`${webDist}index.html`);
  if (serveWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    if (serveWeb && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.type('text/html').sendFile('index.html');
    return sendProblem(reply, problem('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`, undefined, request.id));
  });
  return app;
}
