import { z } from 'zod';

export const uuid = z.uuid();
export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();
// NUL cannot be stored by PostgreSQL and a lone UTF-16 surrogate would be silently replaced:
// both are refused so that what is stored is exactly what was sent.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point of this pattern
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A string that can be stored exactly as sent. */
export const plainString = (max: number) => z.string().max(max).refine((value) => !unstorable.test(value), 'contains characters that cannot be stored (NUL or a broken surrogate)');

/** Trimmed, non-empty text of bounded length: the default for human input. */
export const text = (max = 2000) => z.string().trim().min(1, 'must not be empty').max(max).refine((value) => !unstorable.test(value), 'contains characters that cannot be stored (NUL or a broken surrogate)');
export const optionalText = (max = 2000) => z.string().trim().max(max).refine((value) => !unstorable.test(value), 'contains characters that cannot be stored (NUL or a broken surrogate)').optional();

export const idParams = z.object({ id: uuid });

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: plainString(200).optional(),
  q: plainString(200).optional(),
  status: plainString(50).optional(),
  site: plainString(20).optional(),
  sort: z.enum(['updatedAt', '-updatedAt', 'number', '-number', 'dueDate', '-dueDate']).default('-updatedAt'),
  mine: z.coerce.boolean().optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export const page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().int() });
