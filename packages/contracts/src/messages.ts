import { z } from 'zod';

// Plain messages for the errors people meet most, in the server's problem responses and in the
// web forms alike: a missing field says "is required" rather than zod's type-level wording.
z.config({
  customError: (issue) => {
    if (issue.input === undefined && issue.code === 'invalid_type') return 'is required';
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    return undefined;
  },
});
