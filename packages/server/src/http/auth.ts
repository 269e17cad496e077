import { type Authenticated, authenticateApiToken, authenticateSession, DomainError, type RequestContext, type Services } from '@verity/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const sessionCookie = 'verity_session';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
  }
}

/** Resolves the cookie session or bearer token of every request; routes then ask for what they need. */
export function registerAuthentication(app: FastifyInstance, services: Services): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      request.auth = await authenticateApiToken(services, header.slice(7).trim());
      return;
    }
    const token = request.cookies[sessionCookie];
    if (token) request.auth = await authenticateSession(services, token);
  });
}

/** API routes that answer without a session; every other /api route needs one before its input is even read (11.10(d)). */
const publicRoutes = new Set(['/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/setup', '/api/v1/setup/status', '/api/v1/version', '/api/openapi.json']);

/** Refuses unauthenticated calls to protected API routes before validation, so outsiders learn nothing of the schemas. */
export function registerAuthenticationGate(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const route = request.routeOptions.url ?? '';
    if (!route.startsWith('/api/') || route.startsWith('/api/docs') || publicRoutes.has(route)) return;
    if (!request.auth) throw new DomainError('UNAUTHENTICATED', 'Sign in to continue; your session may have expired');
  });
  // Cross-site request forgery: besides the SameSite=Strict cookie, a cookie-authenticated write
  // whose Origin (or Fetch metadata) names another site is refused before it is read.
  app.addHook('preValidation', async (request) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || !request.url.startsWith('/api/') || !request.cookies[sessionCookie]) return;
    const origin = request.headers.origin;
    let crossSite = request.headers['sec-fetch-site'] === 'cross-site';
    if (origin) {
      try {
        crossSite ||= new URL(origin).host !== request.host;
      } catch {
        crossSite = true;
      }
    }
    if (crossSite) throw new DomainError('FORBIDDEN', 'Cross-site request refused: send changes from the Verity application itself');
  });
}

/** The authenticated caller; 401 without one, 403 while a password change is pending. */
export function requireAuth(request: FastifyRequest, options: { allowPasswordChange?: boolean } = {}): Authenticated {
  if (!request.auth) throw new DomainError('UNAUTHENTICATED', 'Sign in to continue; your session may have expired');
  if (request.auth.mustChangePassword && !options.allowPasswordChange) {
    throw new DomainError('PASSWORD_CHANGE_REQUIRED', 'Change your password before continuing');
  }
  return request.auth;
}

export function requestContext(request: FastifyRequest): RequestContext {
  return {
    ip: request.ip,
    userAgent: request.headers['user-agent']?.slice(0, 300),
    requestId: request.id,
    authMethod: request.auth?.session ? 'session' : request.auth ? 'api-token' : undefined,
  };
}
