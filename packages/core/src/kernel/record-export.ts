import type { Actor, Services } from '../context.js';
import { attachmentsOf } from './attachments.js';
import { auditTrailOf } from './audit.js';
import { canonicalJson, sha256 } from './canonical.js';
import { commentsOf } from './comments.js';
import { linksOf } from './links.js';
import { contentOf, type RecordRow, versionsOf } from './records.js';
import { signaturesOf } from './signatures.js';

/**
 * A true copy of one record for inspection or archive (21 CFR 11.10(b)): its current content and
 * every version, signatures with manifestations and validity, the full audit trail with hashes,
 * links, comments and attachment fingerprints. The canonical JSON of the copy is signed with the
 * instance key (11.30): anyone holding the published public key can verify it was not altered.
 */
export async function exportRecord(services: Services, actor: Actor, record: RecordRow) {
  const db = services.db;
  const body = {
    format: 'verity-record-export/1',
    exportedAt: services.clock.now().toISOString(),
    exportedBy: { id: actor.id, name: actor.fullName },
    record: {
      id: record.id,
      type: record.type,
      number: record.number,
      site: record.site_code,
      title: record.title,
      status: record.status,
      owner: record.owner_name,
      dueDate: record.due_date,
      version: record.version,
      contentHash: record.content_hash,
      content: contentOf(record),
      createdAt: record.created_at.toISOString(),
      updatedAt: record.updated_at.toISOString(),
    },
    versions: await versionsOf(db, record.id),
    signatures: await signaturesOf(services, db, record),
    auditTrail: await auditTrailOf(db, record.id),
    links: await linksOf(db, record.id),
    comments: await commentsOf(db, record.id),
    attachments: await attachmentsOf(db, record.id),
  };
  const canonical = canonicalJson(body);
  return { body, canonical, digest: sha256(canonical), signature: services.key.sign(canonical), keyId: services.key.keyId };
}
