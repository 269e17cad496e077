import { createHash } from 'node:crypto';
import { degrees, PDFDocument as PdfLibDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { type ControlledCopyInput, renderControlledCopy } from '../src/documents/rendition-pdf.js';
import { renderTrainingEvidence, type TrainingEvidenceInput, type TrainingEvidenceRow } from '../src/training/evidence-pdf.js';
import { pdfPageTexts } from './support/pdf-text.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const MARK = 'UNCONTROLLED WHEN PRINTED — printed by Peter Printer at 2026-03-05 10:11:12 UTC';
const IDENTITY = 'SOP-QA-001 v2.0 — Handling of deviations';

const BODY = `# Purpose

This procedure describes **how** deviations are *handled*, see [the guide](https://example.org/guide).

## Responsibilities

1. Operator records the deviation
2. QA reviews it
   - within one working day

> Escalate critical deviations at once.

| Step | Owner |
|------|-------|
| Detect | Operator |
| Approve | QA manager |

\`\`\`
report --id DEV-0001
\`\`\`
`;

function copyInput(overrides: Partial<ControlledCopyInput> = {}): ControlledCopyInput {
  return {
    number: 'SOP-QA-001',
    title: 'Handling of deviations',
    versionLabel: '2.0',
    typeLabel: 'Standard operating procedure',
    statusLabel: 'Effective',
    effectiveFrom: '2026-01-15T08:30:00.000Z',
    effectiveTo: null,
    siteCode: 'BSL',
    department: 'Quality Assurance',
    ownerName: 'Olivia Owner',
    changeSummary: 'Investigation timelines shortened to 20 working days.',
    body: BODY,
    original: null,
    signatures: [
      { signerName: 'Jane Q. Doe', signedAt: '2026-01-10T14:05:11.000Z', meaningLabel: 'Approved', manifestation: 'Jane Q. Doe — 2026-01-10 14:05:11 UTC — Approved', valid: true },
      {
        signerName: 'Rolf Reviewer',
        signedAt: '2026-01-09T09:00:00.000Z',
        meaningLabel: 'Reviewed',
        manifestation: 'Rolf Reviewer — 2026-01-09 09:00:00 UTC — Reviewed',
        valid: false,
      },
    ],
    printedBy: 'Peter Printer',
    printedAt: new Date('2026-03-05T10:11:12.345Z'),
    contentHash: createHash('sha256').update('content').digest('hex'),
    instanceName: 'Verity Basel',
    ...overrides,
  };
}

async function originalPdf(): Promise<Buffer> {
  const pdf = await PdfLibDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([612, 792]).drawText('ORIGINAL PAGE ONE', { x: 72, y: 700, size: 14, font });
  const turned = pdf.addPage([595.28, 841.89]);
  turned.setRotation(degrees(90));
  turned.drawText('ORIGINAL PAGE TWO', { x: 72, y: 400, size: 14, font });
  return Buffer.from(await pdf.save());
}

function expectStampedEverywhere(pages: string[]) {
  pages.forEach((text, i) => {
    expect(text, `page ${i + 1}`).toContain(MARK);
    expect(text, `page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`);
    expect(text, `page ${i + 1}`).toContain(IDENTITY);
  });
}

describe('controlled copy of a document (PDF)', () => {
  it('shows the identity, status, effectivity, ownership and content hash on the cover; no banner when effective', async () => {
    const input = copyInput();
    const pages = await pdfPageTexts(await renderControlledCopy(input));
    const cover = pages[0];
    for (const expected of [
      'SOP-QA-001',
      'Handling of deviations',
      '2.0',
      'Standard operating procedure',
      'Effective',
      '2026-01-15 08:30:00 UTC',
      'BSL',
      'Quality Assurance',
      'Olivia Owner',
      input.changeSummary,
      input.contentHash,
    ]) {
      expect(cover).toContain(expected);
    }
    expect(pages.join('\n')).not.toContain('NOT EFFECTIVE');
    expectStampedEverywhere(pages);
  });

  it('puts a NOT EFFECTIVE banner on the cover of a copy that is not effective', async () => {
    const pages = await pdfPageTexts(await renderControlledCopy(copyInput({ statusLabel: 'Draft', effectiveFrom: null })));
    expect(pages[0]).toContain('NOT EFFECTIVE — Draft');
    expect(pages[0]).toContain('Not effective');
  });

  it('renders the Markdown body as text: headings, list items, quotes, table cells and code', async () => {
    const pages = await pdfPageTexts(await renderControlledCopy(copyInput()));
    const body = pages[1];
    for (const expected of [
      'Purpose',
      'Responsibilities',
      'Operator records the deviation',
      'QA reviews it',
      'within one working day',
      'Escalate critical deviations at once.',
      'Detect',
      'QA manager',
      'report --id DEV-0001',
      'https://example.org/guide',
    ]) {
      expect(body).toContain(expected);
    }
    expect(body).not.toContain('**');
    expect(body).not.toContain('# Purpose');
  });

  it('shows every signature manifestation on the signature page: printed name, date and time in UTC, meaning, validity (21 CFR 11.50)', async () => {
    const input = copyInput();
    const pages = await pdfPageTexts(await renderControlledCopy(input));
    const signaturePage = pages[pages.length - 1];
    expect(signaturePage).toContain('Electronic signatures (21 CFR 11.50)');
    for (const expected of ['Jane Q. Doe', '2026-01-10 14:05:11 UTC', 'Approved', 'Rolf Reviewer', '2026-01-09 09:00:00 UTC', 'Reviewed', 'Valid', 'INVALID']) {
      expect(signaturePage).toContain(expected);
    }
  });

  it('appends the pages of a PDF original after the body and stamps them too', async () => {
    const bytes = await originalPdf();
    const input = copyInput({ original: { fileName: 'sop-qa-001.pdf', mediaType: 'application/pdf', sha256: sha256(bytes), bytes } });
    const pages = await pdfPageTexts(await renderControlledCopy(input));
    expect(pages).toHaveLength(5); // cover, body, two original pages, signatures
    expect(pages[2]).toContain('ORIGINAL PAGE ONE');
    expect(pages[3]).toContain('ORIGINAL PAGE TWO');
    expect(pages[4]).toContain('Electronic signatures (21 CFR 11.50)');
    expectStampedEverywhere(pages);
  });

  it('describes a non-PDF original by name, media type, size and SHA-256', async () => {
    const bytes = Buffer.from('PK\u0003\u0004 not really a docx');
    const input = copyInput({
      original: { fileName: 'SOP-QA-001.docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', sha256: sha256(bytes), bytes },
    });
    const pages = await pdfPageTexts(await renderControlledCopy(input));
    const notice = pages.find((text) => text.includes('Original file') && text.includes('held unchanged'));
    expect(notice).toBeDefined();
    expect(notice).toContain('SOP-QA-001.docx');
    expect(notice).toContain('wordprocessingml.document');
    expect(notice).toContain(`${bytes.length} bytes`);
    expect(notice).toContain(sha256(bytes));
    expectStampedEverywhere(pages);
  });

  it('describes a PDF original that cannot be read instead of failing, and warns when its bytes do not match the recorded hash', async () => {
    const bytes = Buffer.from('%PDF-1.7 this is not a PDF');
    const pages = await pdfPageTexts(await renderControlledCopy(copyInput({ original: { fileName: 'broken.pdf', mediaType: 'application/pdf', sha256: 'f'.repeat(64), bytes } })));
    expect(pages[0]).toContain('INTEGRITY WARNING');
    expect(pages.join('\n')).toContain('could not be read as a PDF');
    expectStampedEverywhere(pages);
  });

  it('shows characters outside the PDF fonts as their nearest Latin form or "?" and says so on the cover', async () => {
    const pages = await pdfPageTexts(await renderControlledCopy(copyInput({ ownerName: 'Łukasz Wróbel', body: 'Keep at ≤ 5 °C, 10 μg, 温度 ok.' })));
    expect(pages[0]).toContain('Lukasz Wróbel');
    expect(pages[0]).toContain('cannot be shown by the fonts of this PDF');
    expect(pages[1]).toMatch(/Keep at <= 5 °C, 10 [µμ]g, \?\? ok\./); // pdf.js extracts the micro sign µ as the Greek μ
  });
});

const row = (i: number, overrides: Partial<TrainingEvidenceRow> = {}): TrainingEvidenceRow => ({
  fullName: `Trainee ${String(i).padStart(5, '0')}`,
  username: `trainee${i}`,
  department: i % 3 === 0 ? null : 'Production',
  status: i % 4 === 0 ? 'open' : 'completed',
  method: i % 4 === 0 ? null : 'read',
  assignedAt: '2026-01-02T03:04:05.000Z',
  dueAt: '2026-02-01T00:00:00.000Z',
  completedAt: i % 4 === 0 ? null : '2026-01-20T08:09:10.000Z',
  timeSpentSeconds: i % 4 === 0 ? null : 754,
  signature:
    i % 4 === 0
      ? null
      : {
          manifestation: `Trainee ${String(i).padStart(5, '0')} — 2026-01-20 08:09:10 UTC — Trained: read and understood`,
          id: `${String(i).padStart(8, '0')}-1111-4222-8333-444455556666`,
          valid: true,
        },
  ...overrides,
});

function evidenceInput(rows: TrainingEvidenceRow[]): TrainingEvidenceInput {
  const completed = rows.filter((r) => r.status === 'completed').length;
  return {
    number: 'SOP-QA-001',
    title: 'Handling of deviations',
    versionLabel: '2.0',
    effectiveFrom: '2026-01-15T08:30:00.000Z',
    effectiveTo: null,
    generatedBy: 'Quinn Auditor',
    generatedAt: new Date('2026-03-05T10:11:12.000Z'),
    summary: { required: rows.length, completed, open: rows.length - completed, overdue: 1 },
    rows,
  };
}

describe('training evidence (PDF)', () => {
  it("lists every trainee with their training signature's manifestation, and numbers its pages", async () => {
    const rows = [
      row(1),
      row(2),
      row(3, { signature: { manifestation: 'Trainee 00003 — 2026-01-20 08:09:10 UTC — Trained: read and understood', id: 'abcdef12-0000-4000-8000-000000000000', valid: false } }),
      row(4),
    ];
    const pages = await pdfPageTexts(await renderTrainingEvidence(evidenceInput(rows)));
    expect(pages).toHaveLength(1);
    const text = pages[0];
    expect(text).toContain('Training evidence — SOP-QA-001 v2.0');
    expect(text).toContain('Handling of deviations');
    expect(text).toContain('Page 1 of 1');
    expect(text).toContain('Generated by Quinn Auditor at 2026-03-05 10:11:12 UTC');
    for (const r of rows) {
      expect(text).toContain(`${r.fullName} (${r.username})`);
      if (r.signature) expect(text).toContain(r.signature.manifestation);
    }
    expect(text).toContain('00000001');
    expect(text).toContain('abcdef12 INVALID');
    expect(text).toContain('2026-01-20 08:09');
    expect(text).toContain('12 min 34 s');
  });

  it('renders 5,000 trainees with every name, and page n of N on every page', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => row(i));
    const started = performance.now();
    const pdf = await renderTrainingEvidence(evidenceInput(rows));
    const elapsed = performance.now() - started;
    console.log(`training evidence: 5,000 rows rendered in ${elapsed.toFixed(0)} ms (${pdf.length} bytes)`);
    const pages = await pdfPageTexts(pdf);
    expect(pages.length).toBeGreaterThan(50);
    expect(pages.length).toBeLessThan(200);
    pages.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(text).toContain('Generated by Quinn Auditor at 2026-03-05 10:11:12 UTC');
    });
    const all = pages.join('\n');
    expect(all.match(/\(trainee\d+\)/g)).toHaveLength(5000);
    for (const i of [0, 1, 1234, 2500, 4998, 4999]) expect(all).toContain(`Trainee ${String(i).padStart(5, '0')} (trainee${i})`);
  });
});
