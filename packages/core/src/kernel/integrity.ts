import type { VerifyResult } from '@verity/contracts';
import type { Actor, RequestContext, Services } from '../context.js';
import { withTransaction } from '../context.js';
import { appendAudit, verifyAuditTrail } from './audit.js';
import { verifyRecords } from './records.js';
import { verifySignatureSeals } from './signatures.js';

/**
 * The on-demand integrity check: audit trail (entries, chains, heads, signed checkpoints), record
 * content hashes and signature seals. The run itself is audited, with its outcome.
 */
export async function verifyIntegrity(services: Services, actor: Actor, request: RequestContext): Promise<VerifyResult> {
  const audit = await verifyAuditTrail(services);
  const records = await verifyRecords(services.db);
  const seals = await verifySignatureSeals(services, services.db);
  const problems = [
    ...audit.problems,
    ...records.problems.map((p) => ({ kind: 'record-altered' as const, entityId: p.recordId, seq: null, entitySeq: p.version, detail: p.detail })),
    ...seals.map((p) => ({ kind: 'signature-invalid' as const, entityId: p.recordId, seq: null, entitySeq: null, detail: p.detail })),
  ];
  const result: VerifyResult = { ...audit, ok: problems.length === 0, problems, recordsChecked: records.checked };
  await withTransaction(services, actor, request, (ctx) =>
    appendAudit(ctx, {
      entityType: 'system',
      entityId: 'system:integrity',
      action: 'audit.verified',
      reason: result.ok ? 'intact' : `${problems.length} problem(s) found`,
      details: { ok: result.ok, entriesChecked: result.entriesChecked, problems: problems.length },
    }),
  );
  return result;
}
