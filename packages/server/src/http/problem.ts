import { type ErrorCode, errorCatalogue, type Problem } from '@verity/contracts';
import { DomainError } from '@verity/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

export function problem(code: ErrorCode, detail?: string, errors?: { path: string; message: string }[], requestId?: string): Problem {
  const entry = errorCatalogue[code];
  return {
    type: `https://verity.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: entry.title,
    status: entry.status,
    code,
    detail,
    errors: errors && errors.length > 0 ? errors : undefined,
    requestId,
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_REQUEST',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Maps every error to RFC 9457 problem+json; the client never sees a stack trace. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof DomainError) return sendProblem(reply, problem(error.code, error.message, error.errors, request.id));
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext && error.validationContext !== 'body' ? `${error.validationContext}.` : '';
    const errors = error.validation.map((v) => ({ path: `${where}${v.instancePath.replace(/^\//, '').replaceAll('/', '.')}` || where.replace(/\.$/, '') || 'body', message: v.message ?? 'is invalid' }));
    return sendProblem(reply, problem('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors, request.id));
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
    return sendProblem(reply, problem('INTERNAL', 'The server produced an invalid response', undefined, request.id));
  }
  // Values the database refused (bad encoding, out-of-range dates and numbers) are bad input, not a crash.
  if (error.code && /^22/.test(error.code) && !error.statusCode) {
    request.log.warn({ err: error }, 'value refused by the database');
    return sendProblem(reply, problem('VALIDATION_FAILED', 'A value in the request cannot be stored', undefined, request.id));
  }
  const mapped = error.code ? fastifyCodes[error.code] : undefined;
  if (mapped) return sendProblem(reply, problem(mapped, error.message, undefined, request.id));
  if (error.statusCode === 429) return sendProblem(reply, problem('RATE_LIMITED', 'Slow down and try again shortly', undefined, request.id));
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    const code: ErrorCode = error.statusCode === 404 ? 'NOT_FOUND' : error.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : error.statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'MALFORMED_REQUEST';
    return sendProblem(reply, problem(code, error.message, undefined, request.id));
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, problem('INTERNAL', 'The request failed; nothing was saved. The error is logged with this request id.', undefined, request.id));
}
