import PDFDocument from 'pdfkit';
import type { exportRecord } from './record-export.js';

type Copy = Awaited<ReturnType<typeof exportRecord>>['body'];

const utc = (iso: string | null | undefined) => (iso ? `${iso.replace('T', ' ').replace(/\.\d+Z$/, '')} UTC` : '—');
const show = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map((v, i) => `${i + 1}. ${show(v)}`).join('\n');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/**
 * The human-readable true copy of a record (21 CFR 11.10(b), 11.50(b)): cover with the
 * "uncontrolled when printed" mark, every field, the signature manifestation page and the audit
 * trail with old and new values. Rendered from the same signed copy as the JSON export.
 */
export function renderRecordPdf(copy: Copy, digest: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, bufferPages: true, compress: false, info: { Title: `${copy.record.number} ${copy.record.title}`, Author: 'Verity eQMS' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const mark = `UNCONTROLLED WHEN PRINTED — printed by ${copy.exportedBy.name} at ${utc(copy.exportedAt)}`;
  const heading = (text: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text).moveDown(0.3).font('Helvetica').fontSize(10);
  const field = (label: string, value: unknown) => {
    doc.font('Helvetica-Bold').fontSize(9).text(label.toUpperCase());
    doc.font('Helvetica').fontSize(10).text(show(value)).moveDown(0.4);
  };

  doc.fillColor('#b00020').font('Helvetica-Bold').fontSize(9).text(mark).fillColor('black').moveDown(1);
  doc.font('Helvetica-Bold').fontSize(20).text(copy.record.number);
  doc.font('Helvetica').fontSize(14).text(copy.record.title).moveDown(0.5);
  doc.fontSize(10);
  for (const [label, value] of [
    ['Status', copy.record.status],
    ['Site', copy.record.site],
    ['Owner', copy.record.owner],
    ['Version', copy.record.version],
    ['Due date', copy.record.dueDate],
    ['Created', utc(copy.record.createdAt)],
    ['Last change', utc(copy.record.updatedAt)],
    ['Content hash (SHA-256)', copy.record.contentHash],
    ['Copy digest (SHA-256)', digest],
  ] as const) {
    doc.text(`${label}: ${show(value)}`);
  }

  heading('Details');
  const data = (copy.record.content as { data?: Record<string, unknown> }).data ?? {};
  for (const [name, value] of Object.entries(data)) field(name.replace(/([A-Z])/g, ' $1'), value);

  heading('Electronic signatures (21 CFR 11.50)');
  if (copy.signatures.length === 0) doc.text('No signatures.');
  for (const signature of copy.signatures) {
    doc.font('Helvetica-Bold').text(signature.manifestation);
    doc.font('Helvetica').text(`Signed version ${signature.recordVersion}, step ${signature.action}, content hash ${signature.contentHash}`);
    doc.text(signature.valid ? (signature.contentChangedSince ? 'Valid for what was signed; later additions not covered.' : 'Valid for the current content.') : `INVALID: ${signature.invalidReason}`).moveDown(0.5);
  }

  heading('Audit trail');
  for (const entry of copy.auditTrail) {
    doc.font('Helvetica-Bold').text(`#${entry.entitySeq}  ${utc(entry.at)}  ${entry.actorName}  ${entry.action}`);
    doc.font('Helvetica');
    if (entry.reason) doc.text(`Reason: ${entry.reason}`);
    for (const change of entry.changes) doc.text(`${change.field}: ${show(change.old)} -> ${show(change.new)}`);
    doc.moveDown(0.4);
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // the footer sits in the margin; without this pdfkit would start a new page
    doc.font('Helvetica').fontSize(7).fillColor('#555555').text(`${copy.record.number} · page ${i + 1} of ${range.count} · ${mark}`, 50, doc.page.height - 35, { lineBreak: false });
  }
  doc.end();
  return done;
}
