import { z } from 'zod';

export const uuid = z.uuid();
export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();
/** Trimmed, non-empty text of bounded length: the default for human input. */
export const text = (max = 2000) => z.string().trim().min(1, 'must not be empty').max(max);
export const optionalText = (max = 2000) => z.string().trim().max(max).optional();

export const idParams = z.object({ id: uuid });

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  q: z.string().trim().max(200).optional(),
  status: z.string().max(50).optional(),
  site: z.string().max(20).optional(),
  sort: z.enum(['updatedAt', '-updatedAt', 'number', '-number', 'dueDate', '-dueDate']).default('-updatedAt'),
  mine: z.coerce.boolean().optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export const page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().int() });
