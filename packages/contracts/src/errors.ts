import { z } from 'zod';

/** The closed catalogue of error codes, each mapped once to its HTTP status. */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 422, title: 'The request is not valid' },
  MALFORMED_REQUEST: { status: 400, title: 'The request could not be read' },
  UNAUTHENTICATED: { status: 401, title: 'Sign in required' },
  INVALID_CREDENTIALS: { status: 401, title: 'User name or password is wrong' },
  ACCOUNT_LOCKED: { status: 423, title: 'The account is locked' },
  ACCOUNT_INACTIVE: { status: 401, title: 'The account is deactivated' },
  TOTP_REQUIRED: { status: 401, title: 'The authenticator code is missing or wrong' },
  TEMPORARY_PASSWORD_EXPIRED: { status: 401, title: 'The temporary password has expired' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, title: 'The password must be changed first' },
  PASSWORD_POLICY: { status: 422, title: 'The password does not meet the policy' },
  SIGNATURE_REQUIRED: { status: 401, title: 'This action needs an electronic signature' },
  SIGNATURE_FAILED: { status: 401, title: 'The signature could not be verified' },
  SIGNING_NOT_ESTABLISHED: { status: 403, title: 'Your electronic signature is not established yet' },
  SIGNATURE_STATEMENT_REQUIRED: { status: 422, title: 'Accept the e-signature statement first' },
  SIGNATURE_MEANING_INVALID: { status: 422, title: 'The signature meaning is not allowed here' },
  FORBIDDEN: { status: 403, title: 'You are not allowed to do this' },
  SEGREGATION_OF_DUTIES: { status: 403, title: 'Segregation of duties forbids this' },
  TRAINING_NOT_CURRENT: { status: 403, title: 'Your training on a governing procedure is not current' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'This method is not allowed here' },
  VERSION_CONFLICT: { status: 409, title: 'The record was changed by someone else' },
  INVALID_TRANSITION: { status: 409, title: 'This action is not possible in the current state' },
  GUARD_FAILED: { status: 422, title: 'The record is not ready for this action' },
  DUPLICATE: { status: 409, title: 'This already exists' },
  SETUP_DONE: { status: 409, title: 'Verity is already set up' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The upload is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'This content type is not accepted' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Something went wrong on the server' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** RFC 9457 problem details, as every error response of the API carries. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  requestId: z.string().optional(),
});
export type Problem = z.infer<typeof problemSchema>;
