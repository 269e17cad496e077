import { type Problem, problemSchema } from '@verity/contracts';
import type { ZodType } from 'zod';

/** An API failure carrying the RFC 9457 problem body, so forms can place field errors. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string {
    return this.problem.code;
  }

  /** The message(s) for one field, joined: matches `name`, or a path ending in `.name` (e.g. `fields.rootCause`). */
  fieldError(name: string): string | undefined {
    const hits = (this.problem.errors ?? []).filter((e) => e.path === name || e.path.endsWith(`.${name}`) || e.path.startsWith(`${name}.`));
    return hits.length ? hits.map((e) => e.message).join('; ') : undefined;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Called when a non-auth call answers 401 UNAUTHENTICATED (session expired): set by the app. */
let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RequestOptions<T> {
  body?: unknown;
  /** Response schema: checked in development builds, mismatches are logged (never thrown). */
  schema?: ZodType<T>;
  /** Do not trigger the sign-in redirect on 401 (used by the auth calls themselves). */
  authCall?: boolean;
}

function problemFrom(status: number, statusText: string, body: unknown): Problem {
  const parsed = problemSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  return {
    type: 'about:blank',
    title: status >= 500 ? 'The server could not answer' : `Request failed (${status} ${statusText})`,
    status,
    code: status >= 500 ? 'INTERNAL' : 'UNKNOWN',
    detail: typeof body === 'string' && body.length < 300 ? body : undefined,
  };
}

/** One typed call to the Verity API (JSON in, JSON out, session cookie). */
export async function request<T>(method: Method, path: string, options: RequestOptions<T> = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError({
      type: 'about:blank',
      title: 'The server cannot be reached',
      status: 0,
      code: 'NETWORK',
      detail: 'Check the network connection and try again. Nothing was saved by this attempt.',
    });
  }
  const text = await response.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const problem = problemFrom(response.status, response.statusText, data);
    if (response.status === 401 && problem.code === 'UNAUTHENTICATED' && !options.authCall) onUnauthenticated();
    throw new ApiError(problem);
  }
  if (options.schema && data !== undefined) {
    const checked = options.schema.safeParse(data);
    if (!checked.success) console.warn(`[verity] response of ${method} ${path} differs from the contract`, checked.error.issues);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions<T>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions<T>) => request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body: unknown, options?: RequestOptions<T>) => request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body: unknown, options?: RequestOptions<T>) => request<T>('PUT', path, { ...options, body }),
};
