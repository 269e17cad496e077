import type { ErrorCode } from '@verity/contracts';

export interface FieldError {
  path: string;
  message: string;
}

/** A refusal with a stable code from the contracts catalogue; the server maps it to problem+json. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what = 'record') => new DomainError('NOT_FOUND', `No such ${what}`);
export const forbidden = (why: string) => new DomainError('FORBIDDEN', why);
export const invalid = (path: string, message: string) => new DomainError('VALIDATION_FAILED', `${path}: ${message}`, [{ path, message }]);
