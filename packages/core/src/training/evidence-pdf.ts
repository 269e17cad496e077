import PDFDocument from 'pdfkit';
import { utcStamp, WIN_ANSI, WinAnsiText } from '../documents/rendition-pdf.js';

export interface TrainingEvidenceInput {
  number: string;
  title: string;
  versionLabel: string;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  generatedBy: string;
  generatedAt: Date;
  summary: { required: number; completed: number; open: number; overdue: number };
  rows: TrainingEvidenceRow[];
}

export interface TrainingEvidenceRow {
  fullName: string;
  username: string;
  department: string | null;
  status: string;
  method: string | null;
  assignedAt: string;
  dueAt: string;
  completedAt: string | null;
  timeSpentSeconds: number | null;
  signature: { manifestation: string; id: string; valid: boolean } | null;
}

type Doc = PDFKit.PDFDocument;

// Landscape A4 in points. Every row has the same height, so the page count is known before the
// first page is drawn and "Page n of N" is written as each page starts: no page is buffered.
const WIDTH = 841.89;
const HEIGHT = 595.28;
const MARGIN = 28;
const ROW = 11;
const SIZE = 6.8;
const FIRST_TABLE_TOP = 150;
const TABLE_TOP = 48;
const TABLE_BOTTOM = HEIGHT - MARGIN - 14;
const rowsFitting = (top: number) => Math.floor((TABLE_BOTTOM - top - ROW - 3) / ROW);
const FIRST_PAGE_ROWS = rowsFitting(FIRST_TABLE_TOP);
const PAGE_ROWS = rowsFitting(TABLE_TOP);

const day = (iso: string | null) => (iso ? utcStamp(iso).slice(0, 10) : '—');
const minute = (iso: string | null) => (iso ? utcStamp(iso).slice(0, 16) : '—');
const duration = (seconds: number | null) => {
  if (seconds === null) return '—';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : m > 0 ? `${m} min ${String(s).padStart(2, '0')} s` : `${s} s`;
};

interface Column {
  label: string;
  width: number;
  value: (row: TrainingEvidenceRow) => string;
  /** Shrink the type (down to this size) before cutting the text: for evidence that must stay whole. */
  shrinkTo?: number;
  /** Shown in red when the row's signature is invalid. */
  alert?: boolean;
}

const COLUMNS: Column[] = [
  { label: 'Name (user name)', width: 130, value: (r) => `${r.fullName} (${r.username})`, shrinkTo: 5.2 },
  { label: 'Department', width: 66, value: (r) => r.department ?? '—', shrinkTo: 5.2 },
  { label: 'Status', width: 48, value: (r) => r.status },
  { label: 'Method', width: 50, value: (r) => r.method ?? '—' },
  { label: 'Assigned', width: 44, value: (r) => day(r.assignedAt) },
  { label: 'Due', width: 44, value: (r) => day(r.dueAt) },
  { label: 'Completed (UTC)', width: 62, value: (r) => minute(r.completedAt) },
  { label: 'Time spent', width: 44, value: (r) => duration(r.timeSpentSeconds) },
  { label: 'Signature (printed name — date and time — meaning)', width: 235, value: (r) => r.signature?.manifestation ?? '—', shrinkTo: 4.8 },
  { label: 'Signature id', width: 62, value: (r) => (r.signature ? `${r.signature.id.slice(0, 8)}${r.signature.valid ? '' : ' INVALID'}` : '—'), shrinkTo: 5.2, alert: true },
];

/** Widths of the standard fonts' characters, measured once (kerning ignored, hence the slack in fit). */
class Widths {
  private readonly perChar = new Map<string, number>();
  constructor(doc: Doc, font: string) {
    doc.font(font).fontSize(1000);
    for (const ch of WIN_ANSI) this.perChar.set(ch, doc.widthOfString(ch));
  }

  of(text: string, size: number): number {
    let units = 0;
    for (const ch of text) units += this.perChar.get(ch) ?? 1000;
    return (units * size) / 1000;
  }

  /** The text at a size that fits the width: shrunk down to minSize, then cut with an ellipsis. */
  fit(text: string, width: number, size: number, minSize = size): { text: string; size: number } {
    if (text.length * size * 1.02 <= width) return { text, size }; // no character is wider than 1.02 em
    const full = this.of(text, size);
    if (full <= width) return { text, size };
    const shrunk = Math.max(minSize, (0.99 * size * width) / full);
    if (this.of(text, shrunk) <= width) return { text, size: shrunk };
    let cut = text;
    while (cut.length > 1 && this.of(`${cut}…`, shrunk) > width) cut = cut.slice(0, Math.floor(cut.length * 0.9));
    return { text: `${cut.trimEnd()}…`, size: shrunk };
  }
}

/**
 * The training evidence of one document revision as a PDF: who had to be trained, how and when
 * they were, with each training signature's manifestation (21 CFR 11.50). Rendered in a single
 * streaming pass (no buffered pages): 5,000 trainees take about a second.
 */
export async function renderTrainingEvidence(input: TrainingEvidenceInput): Promise<Buffer> {
  const text = new WinAnsiText();
  const title = text.fit(`Training evidence — ${input.number} v${input.versionLabel}`);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    autoFirstPage: false,
    info: { Title: title, Author: 'Verity eQMS', Subject: input.title, CreationDate: input.generatedAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const regular = new Widths(doc, 'Helvetica');
  const bold = new Widths(doc, 'Helvetica-Bold');
  const pageCount = input.rows.length <= FIRST_PAGE_ROWS ? 1 : 1 + Math.ceil((input.rows.length - FIRST_PAGE_ROWS) / PAGE_ROWS);
  const footer = text.fit(`Generated by ${input.generatedBy} at ${utcStamp(input.generatedAt)}`);
  let page = 0;

  const startPage = () => {
    doc.addPage();
    page += 1;
    doc.font('Helvetica').fontSize(7.5).fillColor('#444444');
    doc.text(footer, MARGIN, HEIGHT - MARGIN - 6, { lineBreak: false });
    const pageLabel = `Page ${page} of ${pageCount}`;
    doc.text(pageLabel, WIDTH - MARGIN - regular.of(pageLabel, 7.5), HEIGHT - MARGIN - 6, { lineBreak: false });
    doc.fillColor('black');
    if (page === 1) writeCoverBlock(doc, input, title, text);
    else
      doc
        .font('Helvetica-Bold')
        .fontSize(8)
        .text(bold.fit(text.fit(`${title} — ${input.title}`), WIDTH - 2 * MARGIN, 8).text, MARGIN, MARGIN, { lineBreak: false });
    const top = page === 1 ? FIRST_TABLE_TOP : TABLE_TOP;
    doc.rect(MARGIN, top, WIDTH - 2 * MARGIN, ROW + 3).fill('#e4e4e4');
    doc.fillColor('black');
    let x = MARGIN;
    for (const column of COLUMNS) {
      const label = bold.fit(column.label, column.width - 4, SIZE, 5);
      doc
        .font('Helvetica-Bold')
        .fontSize(label.size)
        .text(label.text, x + 2, top + 3, { lineBreak: false });
      x += column.width;
    }
    return top + ROW + 3;
  };

  let y = startPage();
  let onPage = 0;
  if (input.rows.length === 0)
    doc
      .font('Helvetica')
      .fontSize(9)
      .text('No one is required to be trained on this revision.', MARGIN, y + 6, { lineBreak: false });
  for (let index = 0; index < input.rows.length; index++) {
    if (onPage === (page === 1 ? FIRST_PAGE_ROWS : PAGE_ROWS)) {
      y = startPage();
      onPage = 0;
    }
    const row = input.rows[index];
    if (index % 2 === 1) doc.rect(MARGIN, y, WIDTH - 2 * MARGIN, ROW).fill('#f4f4f4');
    const invalid = row.signature !== null && !row.signature.valid;
    doc.font('Helvetica');
    let x = MARGIN;
    for (const column of COLUMNS) {
      const cell = regular.fit(text.fit(column.value(row)), column.width - 4, SIZE, column.shrinkTo);
      doc
        .fontSize(cell.size)
        .fillColor(invalid && column.alert ? '#b00020' : 'black')
        .text(cell.text, x + 2, y + 2 + (SIZE - cell.size) / 2, { lineBreak: false });
      x += column.width;
    }
    y += ROW;
    onPage += 1;
  }
  doc.end();
  return done;
}

function writeCoverBlock(doc: Doc, input: TrainingEvidenceInput, title: string, text: WinAnsiText): void {
  const width = WIDTH - 2 * MARGIN;
  doc.font('Helvetica-Bold').fontSize(16).text(title, MARGIN, MARGIN, { width, lineBreak: false });
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(text.fit(input.title), MARGIN, MARGIN + 22, { width, height: 14, ellipsis: true });
  const effective = `Effective from ${input.effectiveFrom ? utcStamp(input.effectiveFrom) : '— (not effective)'} to ${input.effectiveTo ? utcStamp(input.effectiveTo) : '—'}`;
  doc
    .fontSize(8.5)
    .fillColor('#444444')
    .text(effective, MARGIN, MARGIN + 40, { lineBreak: false });
  doc.text(text.fit(`Generated by ${input.generatedBy} at ${utcStamp(input.generatedAt)}. Dates are UTC.`), MARGIN, MARGIN + 52, { lineBreak: false });
  const altered = countAltered(input);
  if (altered > 0) {
    const note = `${altered} character(s) cannot be shown by the fonts of this PDF and appear as their nearest Latin form or as '?'; the records in Verity are authoritative.`;
    doc.fillColor('#b00020').text(note, MARGIN + 480, MARGIN + 78, { width: width - 480 });
  }
  const boxes: [string, number][] = [
    ['Required', input.summary.required],
    ['Completed', input.summary.completed],
    ['Open', input.summary.open],
    ['Overdue', input.summary.overdue],
  ];
  boxes.forEach(([label, value], i) => {
    const x = MARGIN + i * 118;
    const top = MARGIN + 72;
    doc.rect(x, top, 108, 40).lineWidth(0.6).stroke('#999999');
    doc
      .fillColor(label === 'Overdue' && value > 0 ? '#b00020' : 'black')
      .font('Helvetica-Bold')
      .fontSize(15)
      .text(String(value), x + 8, top + 6, { lineBreak: false });
    doc
      .fillColor('#444444')
      .font('Helvetica')
      .fontSize(8)
      .text(label, x + 8, top + 26, { lineBreak: false });
  });
  doc.fillColor('black');
}

/** Characters the PDF cannot show as written, counted before the first page so page 1 can say so. */
function countAltered(input: TrainingEvidenceInput): number {
  const counter = new WinAnsiText();
  for (const s of [input.number, input.title, input.versionLabel, input.generatedBy]) counter.fit(s);
  for (const row of input.rows) {
    counter.fit(row.fullName);
    counter.fit(row.username);
    if (row.department) counter.fit(row.department);
    if (row.signature) counter.fit(row.signature.manifestation);
  }
  return counter.altered;
}
