import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ctx } from '../context.js';
import type { Queryable } from '../db/database.js';
import { notFound } from '../errors.js';
import { appendAudit } from './audit.js';
import type { RecordRow } from './records.js';

/** Where the bytes of a SHA-256 live in the content-addressed store. */
function blobPath(dir: string, sha256: string): string {
  return join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** Stores bytes by their SHA-256 (never overwritten: same content, same file) and returns the hash. */
export async function storeBlob(dir: string, bytes: Buffer): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const path = blobPath(dir, sha256);
  if (!existsSync(path)) {
    await mkdir(join(dir, sha256.slice(0, 2), sha256.slice(2, 4)), { recursive: true });
    const temporary = `${path}.${randomUUID()}.tmp`;
    await writeFile(temporary, bytes, { mode: 0o440 });
    await rename(temporary, path);
  }
  return sha256;
}

/** Reads a blob back and checks it still has its hash: a changed file is refused, not served. */
export async function readBlob(dir: string, sha256: string): Promise<Buffer> {
  const bytes = await readFile(blobPath(dir, sha256));
  if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new Error(`stored file ${sha256} no longer matches its hash`);
  return bytes;
}

export async function attachFile(ctx: Ctx, record: RecordRow, file: { fileName: string; mediaType: string; bytes: Buffer }) {
  const sha256 = await storeBlob(ctx.services.files.dir, file.bytes);
  const id = randomUUID();
  await ctx.tx.query(
    'INSERT INTO attachment (id, record_id, file_name, media_type, size, sha256, uploaded_by, uploaded_by_name, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [id, record.id, file.fileName, file.mediaType, file.bytes.length, sha256, ctx.actor.id, ctx.actor.fullName, ctx.now],
  );
  await appendAudit(ctx, {
    entityType: record.type,
    entityId: record.id,
    action: 'record.attachment_added',
    changes: [{ field: 'attachment', old: null, new: { fileName: file.fileName, sha256, size: file.bytes.length } }],
    details: { attachmentId: id },
  });
  return { id, fileName: file.fileName, mediaType: file.mediaType, size: file.bytes.length, sha256, uploadedByName: ctx.actor.fullName, uploadedAt: ctx.now.toISOString() };
}

interface AttachmentRow {
  id: string;
  record_id: string;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  uploaded_by_name: string;
  uploaded_at: Date;
}

const toDto = (r: AttachmentRow) => ({ id: r.id, fileName: r.file_name, mediaType: r.media_type, size: Number(r.size), sha256: r.sha256, uploadedByName: r.uploaded_by_name, uploadedAt: r.uploaded_at.toISOString() });

export async function attachmentsOf(db: Queryable, recordId: string) {
  return (await db.query<AttachmentRow>('SELECT * FROM attachment WHERE record_id = $1 ORDER BY uploaded_at, id', [recordId])).map(toDto);
}

export async function getAttachment(db: Queryable, id: string): Promise<AttachmentRow & { recordId: string }> {
  const [row] = await db.query<AttachmentRow>('SELECT * FROM attachment WHERE id = $1', [id]);
  if (!row) throw notFound('attachment');
  return { ...row, recordId: row.record_id };
}
