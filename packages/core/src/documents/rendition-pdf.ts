import { createHash } from 'node:crypto';
import { Lexer, type MarkedToken, type Token, type Tokens } from 'marked';
import { degrees, EncryptedPDFError, PDFDocument as PdfLibDocument, type PDFFont, type PDFPage, popGraphicsState, pushGraphicsState, rgb, StandardFonts } from 'pdf-lib';
import PDFDocument from 'pdfkit';

export interface ControlledCopyInput {
  number: string;
  title: string;
  versionLabel: string;
  typeLabel: string;
  statusLabel: string;
  /** ISO date-time; null when the revision is not (yet) effective. */
  effectiveFrom: string | null;
  effectiveTo: string | null;
  siteCode: string;
  department: string;
  ownerName: string;
  changeSummary: string | null;
  /** Markdown written in the browser. */
  body: string | null;
  /** An uploaded original: a PDF's pages are reproduced, any other file is described. */
  original: { fileName: string; mediaType: string; sha256: string; bytes: Buffer } | null;
  signatures: { signerName: string; signedAt: string; meaningLabel: string; manifestation: string; valid: boolean }[];
  /** Full name of who requested the copy. */
  printedBy: string;
  printedAt: Date;
  contentHash: string;
  instanceName?: string;
}

// ---------------------------------------------------------------------------------------------
// Text the standard PDF fonts can show

const WIN_ANSI_BEYOND_LATIN1 = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
/** Every character the standard PDF fonts (WinAnsi encoding) can show. */
export const WIN_ANSI = [
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)),
  ...Array.from({ length: 96 }, (_, i) => String.fromCharCode(0xa0 + i)),
  ...WIN_ANSI_BEYOND_LATIN1,
];
const SHOWN = new Set(WIN_ANSI);
// biome-ignore format: a lookup table reads better packed
const NEAREST: Record<string, string> = {
  ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ı: 'i', ħ: 'h', Ħ: 'H', ŋ: 'n', ſ: 's', μ: 'µ', Ω: 'Ohm', '−': '-', '‐': '-', '‑': '-', '‒': '-', '―': '—',
  '≤': '<=', '≥': '>=', '≠': '!=', '≈': '~', '→': '->', '←': '<-', '⇒': '=>', '↔': '<->', '✓': 'v', '✔': 'v', '✗': 'x', '✘': 'x', '′': "'", '″': '"',
  '\u2002': ' ', '\u2003': ' ', '\u2009': ' ', '\u200a': ' ', '\u202f': ' ', '\u200b': '', '\u200d': '', '\ufeff': '',
};

/**
 * The standard PDF fonts show only the WinAnsi characters: pdfkit writes any other character as
 * broken bytes and pdf-lib refuses it. Such characters are shown as their nearest Latin form
 * (ő → o, μ → µ, ≤ → <=) or '?', and counted so that the copy can say it is not letter-exact.
 */
export class WinAnsiText {
  altered = 0;

  fit(value: string): string {
    if (/^[ -~\n]*$/.test(value)) return value;
    let out = '';
    for (const ch of value) {
      if (SHOWN.has(ch) || ch === '\n') out += ch;
      else if (ch === '\t') out += '    ';
      else if (ch < ' ' || (ch >= '\u007f' && ch < '\u00a0')) {
        // control characters carry no text
      } else {
        this.altered += 1;
        out += nearest(ch);
      }
    }
    return out;
  }
}

function nearest(ch: string): string {
  const mapped = NEAREST[ch];
  if (mapped !== undefined) return mapped;
  const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return base !== '' && [...base].every((c) => SHOWN.has(c)) ? base : '?';
}

/** 'YYYY-MM-DD HH:MM:SS UTC' for a Date or an ISO date-time; '—' for none. */
export function utcStamp(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

// ---------------------------------------------------------------------------------------------
// The controlled copy

type Doc = PDFKit.PDFDocument;
interface Box {
  left: number;
  width: number;
}
interface Pen {
  doc: Doc;
  text: WinAnsiText;
  /** Pages added so far (1 = the cover). */
  pages: number;
}
interface Original {
  pdf: PdfLibDocument | null;
  /** Why a PDF original is described instead of reproduced. */
  problem: string | null;
}

const MARGINS = { top: 64, bottom: 64, left: 56, right: 56 };
const BAND = 34; // room added above and below an original's pages for the header and footer
const RED = '#b00020';

const isEffective = (status: string) => status.trim().toLowerCase() === 'effective';
const bytesLabel = (n: number) => {
  const scaled = n >= 1048576 ? ` (${(n / 1048576).toFixed(1)} MiB)` : n >= 1024 ? ` (${(n / 1024).toFixed(1)} KiB)` : '';
  return `${n.toLocaleString('en-US')} bytes${scaled}`;
};
const isPdf = (original: NonNullable<ControlledCopyInput['original']>) =>
  original.mediaType.split(';')[0].trim().toLowerCase() === 'application/pdf' || original.bytes.subarray(0, 5).toString('latin1') === '%PDF-';

/**
 * A printed copy of a controlled document (21 CFR 11.10(b), EU GMP Annex 11 §8.1): cover with
 * the document's identity and status, the content, the pages of a PDF original, the signature
 * manifestations (11.50), and on every page its identity, page n of N and the mark
 * "UNCONTROLLED WHEN PRINTED" with who printed it and when.
 */
export async function renderControlledCopy(input: ControlledCopyInput): Promise<Buffer> {
  const original = await loadOriginal(input.original);
  try {
    return await compose(input, original);
  } catch (error) {
    if (!original.pdf) throw error;
    return compose(input, { pdf: null, problem: 'The pages of the original PDF could not be copied into this print.' });
  }
}

async function loadOriginal(original: ControlledCopyInput['original']): Promise<Original> {
  if (!original || !isPdf(original)) return { pdf: null, problem: null };
  try {
    const pdf = await PdfLibDocument.load(original.bytes, { updateMetadata: false });
    return pdf.getPageCount() > 0 ? { pdf, problem: null } : { pdf: null, problem: 'The original PDF has no pages.' };
  } catch (error) {
    return {
      pdf: null,
      problem:
        error instanceof EncryptedPDFError
          ? 'The original PDF is encrypted, so its pages cannot be reproduced here.'
          : 'The original could not be read as a PDF, so its pages cannot be reproduced here.',
    };
  }
}

async function compose(input: ControlledCopyInput, original: Original): Promise<Buffer> {
  const part = await renderOwnPages(input, original);
  const pdf = await PdfLibDocument.load(part.bytes);
  let originalPages = 0;
  if (original.pdf) {
    const pages = await pdf.copyPages(original.pdf, original.pdf.getPageIndices());
    pages.forEach((page, i) => {
      pdf.insertPage(part.originalAt + i, page);
    });
    originalPages = pages.length;
  }
  await stampPages(pdf, input, part.originalAt, originalPages);
  pdf.setTitle(`${input.number} v${input.versionLabel} ${input.title}`);
  pdf.setAuthor('Verity eQMS');
  pdf.setSubject('Printed copy of a controlled document: uncontrolled when printed');
  pdf.setCreator('Verity eQMS');
  pdf.setProducer('Verity eQMS');
  pdf.setCreationDate(input.printedAt);
  pdf.setModificationDate(input.printedAt);
  return Buffer.from(await pdf.save());
}

/** Cover, content, the description of a non-PDF original and the signature page; returns where a PDF original's pages go. */
async function renderOwnPages(input: ControlledCopyInput, original: Original): Promise<{ bytes: Buffer; originalAt: number }> {
  const doc = new PDFDocument({ size: 'A4', margins: MARGINS });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const pen: Pen = { doc, text: new WinAnsiText(), pages: 1 };
  doc.on('pageAdded', () => {
    pen.pages += 1;
  });
  const box = { left: MARGINS.left, width: doc.page.width - MARGINS.left - MARGINS.right };

  writeCover(pen, box, input, original);
  if (input.body?.trim()) {
    doc.addPage();
    writeBlocks(pen, box, Lexer.lex(input.body, { gfm: true }));
  }
  if (input.original && !original.pdf) writeOriginalNotice(pen, box, input.original, original.problem, input.instanceName);
  const originalAt = pen.pages;
  writeSignatures(pen, box, input.signatures);
  doc.end();
  return { bytes: await done, originalAt };
}

function writeCover(pen: Pen, box: Box, input: ControlledCopyInput, original: Original): void {
  const { doc, text } = pen;
  if (!isEffective(input.statusLabel)) {
    const y = doc.y;
    doc.rect(box.left, y, box.width, 36).fill(RED);
    doc
      .fillColor('white')
      .font('Helvetica-Bold')
      .fontSize(16)
      .text(text.fit(`NOT EFFECTIVE — ${input.statusLabel}`), box.left, y + 11, { width: box.width, align: 'center' });
    doc.fillColor('black');
    doc.y = y + 36 + 16;
  }
  doc.font('Helvetica-Bold').fontSize(22).text(text.fit(input.number), box.left, doc.y, { width: box.width });
  doc.font('Helvetica').fontSize(15).text(text.fit(input.title), { width: box.width }).moveDown(1);

  const fields: [string, string, boolean?][] = [
    ['Version', input.versionLabel],
    ['Document type', input.typeLabel],
    ['Status', input.statusLabel],
    ['Effective from', input.effectiveFrom ? utcStamp(input.effectiveFrom) : 'Not effective'],
    ['Effective to', input.effectiveTo ? utcStamp(input.effectiveTo) : '—'],
    ['Site', input.siteCode],
    ['Department', input.department],
    ['Owner', input.ownerName],
    ['Change summary', input.changeSummary?.trim() || '—'],
    ['Content hash (SHA-256)', input.contentHash, true],
  ];
  if (input.original) {
    const actual = createHash('sha256').update(input.original.bytes).digest('hex');
    fields.push(['Original file', `${input.original.fileName} (${input.original.mediaType}, ${bytesLabel(input.original.bytes.length)})`]);
    fields.push(['Original SHA-256', input.original.sha256, true]);
    if (actual !== input.original.sha256.toLowerCase()) fields.push(['INTEGRITY WARNING', `The original's bytes hash to ${actual}, not to the recorded SHA-256.`]);
    if (original.pdf) fields.push(['Original pages', `${original.pdf.getPageCount()}, reproduced after the content`]);
  }
  fields.push(['Printed by', input.printedBy], ['Printed at', utcStamp(input.printedAt)]);
  if (input.instanceName) fields.push(['Verity instance', input.instanceName]);
  for (const [label, value, mono] of fields) writeField(pen, box, label, value, mono);

  doc.moveDown(1).font('Helvetica').fontSize(9).fillColor('#333333');
  doc.text(
    'This is a printed copy of a document controlled electronically in Verity. It is uncontrolled when printed: before use, check in Verity that this version is the one in effect. Dates and times are UTC.',
    box.left,
    doc.y,
    { width: box.width },
  );
  const altered = countAltered(input);
  if (altered > 0) {
    doc
      .moveDown(0.5)
      .fillColor(RED)
      .text(`${altered} character(s) cannot be shown by the fonts of this PDF and appear as their nearest Latin form or as '?'. The electronic document is authoritative.`, {
        width: box.width,
      });
  }
  doc.fillColor('black');
}

/** Characters of the input that the PDF cannot show as written, counted before any is drawn. */
function countAltered(input: ControlledCopyInput): number {
  const counter = new WinAnsiText();
  const texts = [
    input.number,
    input.title,
    input.versionLabel,
    input.typeLabel,
    input.statusLabel,
    input.siteCode,
    input.department,
    input.ownerName,
    input.changeSummary ?? '',
    input.body ?? '',
    input.printedBy,
    input.original?.fileName ?? '',
    input.instanceName ?? '',
  ];
  for (const s of input.signatures) texts.push(s.signerName, s.meaningLabel);
  for (const t of texts) counter.fit(t);
  return counter.altered;
}

function writeField(pen: Pen, box: Box, label: string, value: string, mono = false): void {
  const { doc, text } = pen;
  const labelWidth = 130;
  const width = box.width - labelWidth;
  const shown = text.fit(value);
  doc.font(mono ? 'Courier' : 'Helvetica').fontSize(mono ? 9 : 10);
  ensureSpace(doc, Math.min(doc.heightOfString(shown, { width }), 120));
  const y = doc.y;
  doc
    .font('Helvetica-Bold')
    .fontSize(9)
    .fillColor(label === 'INTEGRITY WARNING' ? RED : '#444444')
    .text(label, box.left, y + 1, { width: labelWidth - 8 });
  const labelBottom = doc.y;
  doc
    .font(mono ? 'Courier' : 'Helvetica')
    .fontSize(mono ? 9 : 10)
    .fillColor('black')
    .text(shown, box.left + labelWidth, y, { width });
  doc.y = Math.max(doc.y, labelBottom) + 4;
  doc.x = box.left;
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function writeOriginalNotice(pen: Pen, box: Box, original: NonNullable<ControlledCopyInput['original']>, problem: string | null, instance?: string): void {
  const { doc } = pen;
  doc.addPage();
  doc.font('Helvetica-Bold').fontSize(14).text('Original file', box.left, doc.y).moveDown(0.6);
  writeField(pen, box, 'File name', original.fileName);
  writeField(pen, box, 'Media type', original.mediaType);
  writeField(pen, box, 'Size', bytesLabel(original.bytes.length));
  writeField(pen, box, 'SHA-256', original.sha256, true);
  doc.moveDown(0.6).font('Helvetica').fontSize(10);
  if (problem) doc.fillColor(RED).text(problem, { width: box.width }).fillColor('black').moveDown(0.4);
  doc.text(
    `The original is held unchanged in Verity${instance ? ` (${pen.text.fit(instance)})` : ''}; its content is not reproduced in this print. Open it from the document in Verity and compare its SHA-256 with the value above.`,
    { width: box.width },
  );
}

function writeSignatures(pen: Pen, box: Box, signatures: ControlledCopyInput['signatures']): void {
  const { doc, text } = pen;
  doc.addPage();
  doc.font('Helvetica-Bold').fontSize(14).text('Electronic signatures (21 CFR 11.50)', box.left, doc.y).moveDown(0.4);
  doc.font('Helvetica').fontSize(9).fillColor('#333333');
  doc.text('Each signature shows the printed name of the signer, the date and time of signing and its meaning. Validity is as verified by Verity when this copy was printed.', {
    width: box.width,
  });
  doc.fillColor('black').moveDown(0.8);
  if (signatures.length === 0) {
    doc.fontSize(10).text('This version carries no electronic signatures.');
    return;
  }
  const rows = signatures.map((s) => [text.fit(s.signerName), utcStamp(s.signedAt), text.fit(s.meaningLabel), s.valid ? 'Valid' : 'INVALID']);
  writeGrid(pen, box, [150, 125, 148, box.width - 423], ['Printed name', 'Date and time (UTC)', 'Meaning', 'Validity'], rows);
}

/** A simple grid: header row (repeated on each page), cells wrapped to their column. */
function writeGrid(pen: Pen, box: Box, widths: number[], header: string[], rows: string[][], align: (string | null)[] = []): void {
  const { doc } = pen;
  const pad = 4;
  const drawRow = (cells: string[], isHeader: boolean) => {
    doc.font(isHeader ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    const height = Math.max(...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i] - 2 * pad }))) + 2 * pad;
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (!isHeader) drawRow(header, true);
      doc.font(isHeader ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    }
    const y = doc.y;
    let x = box.left;
    cells.forEach((cell, i) => {
      if (isHeader) doc.rect(x, y, widths[i], height).fill('#e8e8e8');
      doc.rect(x, y, widths[i], height).lineWidth(0.5).stroke('#999999');
      const cellAlign = align[i] === 'center' || align[i] === 'right' ? align[i] : 'left';
      doc.fillColor(cell === 'INVALID' ? RED : 'black').text(cell, x + pad, y + pad, { width: widths[i] - 2 * pad, align: cellAlign });
      x += widths[i];
    });
    doc.fillColor('black');
    doc.x = box.left;
    doc.y = y + height;
  };
  drawRow(header, true);
  for (const row of rows) drawRow(row, false);
  doc.moveDown(0.6);
}

// ---------------------------------------------------------------------------------------------
// Markdown content, from marked's tokens

interface Run {
  text: string;
  font: string;
  color?: string;
  strike?: boolean;
}
interface Style {
  bold?: boolean;
  italic?: boolean;
  mono?: boolean;
  strike?: boolean;
  color?: string;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  deg: '°',
  plusmn: '±',
  micro: 'µ',
  times: '×',
  ndash: '–',
  mdash: '—',
  hellip: '…',
};
const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
const fontOf = (style: Style) =>
  style.mono
    ? style.bold
      ? 'Courier-Bold'
      : 'Courier'
    : style.bold
      ? style.italic
        ? 'Helvetica-BoldOblique'
        : 'Helvetica-Bold'
      : style.italic
        ? 'Helvetica-Oblique'
        : 'Helvetica';
const plainText = (tokens: Token[] | undefined): string =>
  collectRuns(tokens, {}, [])
    .map((r) => r.text)
    .join('');

function collectRuns(tokens: Token[] | undefined, style: Style, out: Run[]): Run[] {
  const add = (text: string, s: Style = style) => out.push({ text, font: fontOf(s), color: s.color, strike: s.strike });
  for (const generic of tokens ?? []) {
    const token = generic as MarkedToken;
    switch (token.type) {
      case 'strong':
        collectRuns(token.tokens, { ...style, bold: true }, out);
        break;
      case 'em':
        collectRuns(token.tokens, { ...style, italic: true }, out);
        break;
      case 'del':
        collectRuns(token.tokens, { ...style, strike: true }, out);
        break;
      case 'codespan':
        add(token.text, { ...style, mono: true });
        break;
      case 'br':
        add('\n');
        break;
      case 'link':
        collectRuns(token.tokens, { ...style, color: '#1a4f8b' }, out);
        if (token.href && token.href !== token.text && token.href !== `mailto:${token.text}`) add(` <${token.href}>`, { ...style, color: '#555555' });
        break;
      case 'image':
        add(`[image: ${token.text || token.href}]`, { ...style, italic: true, color: '#555555' });
        break;
      case 'text':
        if (token.tokens) collectRuns(token.tokens, style, out);
        else add(decodeEntities(token.text).replace(/\n/g, ' '));
        break;
      case 'checkbox':
        break;
      default:
        add('text' in token && typeof token.text === 'string' ? token.text : token.raw);
    }
  }
  return out;
}

/** Styled runs as one flowing paragraph (pdfkit's continued text). */
function writeRuns(pen: Pen, box: Box, runs: Run[], size: number): void {
  const { doc, text } = pen;
  const parts = runs.map((run) => ({ ...run, text: text.fit(run.text) })).filter((run) => run.text !== '');
  if (parts.length === 0) return;
  ensureSpace(doc, size * 1.3);
  parts.forEach((run, i) => {
    doc
      .font(run.font)
      .fontSize(size)
      .fillColor(run.color ?? 'black');
    const options = { width: box.width, continued: i < parts.length - 1, strike: run.strike ?? false };
    if (i === 0) doc.text(run.text, box.left, doc.y, options);
    else doc.text(run.text, options);
  });
  doc.fillColor('black');
  doc.x = box.left;
}

const HEADING_SIZES = [17, 14.5, 12.5, 11.5, 10.5, 10];

function writeBlocks(pen: Pen, box: Box, tokens: Token[], depth = 0): void {
  const { doc } = pen;
  for (const generic of tokens) {
    const token = generic as MarkedToken;
    switch (token.type) {
      case 'space':
      case 'def':
      case 'checkbox':
        break;
      case 'heading': {
        const size = HEADING_SIZES[Math.min(token.depth, 6) - 1];
        if (doc.y > doc.page.margins.top) doc.moveDown(0.5);
        ensureSpace(doc, size * 3.5);
        writeRuns(pen, box, collectRuns(token.tokens, { bold: true }, []), size);
        doc.moveDown(0.3);
        break;
      }
      case 'paragraph':
        writeRuns(pen, box, collectRuns(token.tokens, {}, []), 10);
        doc.moveDown(0.5);
        break;
      case 'text':
        writeRuns(pen, box, token.tokens ? collectRuns(token.tokens, {}, []) : [{ text: decodeEntities(token.text), font: 'Helvetica' }], 10);
        doc.moveDown(0.15);
        break;
      case 'list':
        writeList(pen, box, token, depth);
        break;
      case 'code':
        writeCode(pen, box, token.text);
        break;
      case 'blockquote': {
        const startY = doc.y;
        const startPage = pen.pages;
        writeBlocks(pen, { left: box.left + 14, width: box.width - 14 }, token.tokens, depth);
        const top = pen.pages === startPage ? startY : doc.page.margins.top;
        doc
          .moveTo(box.left + 4, top)
          .lineTo(box.left + 4, doc.y - 4)
          .lineWidth(2)
          .stroke('#bbbbbb');
        doc.moveDown(0.3);
        break;
      }
      case 'table':
        writeTable(pen, box, token);
        break;
      case 'hr':
        ensureSpace(doc, 14);
        doc
          .moveTo(box.left, doc.y + 5)
          .lineTo(box.left + box.width, doc.y + 5)
          .lineWidth(0.5)
          .stroke('#999999');
        doc.y += 14;
        break;
      default:
        writeRuns(pen, box, [{ text: 'text' in token && typeof token.text === 'string' ? token.text : token.raw, font: 'Helvetica' }], 10);
        doc.moveDown(0.5);
    }
  }
}

function writeList(pen: Pen, box: Box, list: Tokens.List, depth: number): void {
  const { doc } = pen;
  const indent = list.items.some((item) => item.task) ? 34 : 20;
  const start = typeof list.start === 'number' ? list.start : 1;
  list.items.forEach((item, i) => {
    const bullet = list.ordered ? `${start + i}.` : depth % 2 === 0 ? '•' : '–';
    const marker = item.task ? `${bullet} [${item.checked ? 'x' : ' '}]` : bullet;
    ensureSpace(doc, 14);
    const y = doc.y;
    doc
      .font('Helvetica')
      .fontSize(10)
      .fillColor('black')
      .text(marker, box.left + 4, y, { lineBreak: false });
    doc.y = y;
    writeBlocks(pen, { left: box.left + indent, width: box.width - indent }, item.tokens, depth + 1);
  });
  doc.x = box.left;
  if (depth === 0) doc.moveDown(0.4);
}

function writeCode(pen: Pen, box: Box, code: string): void {
  const { doc } = pen;
  const shown = pen.text.fit(code);
  doc.font('Courier').fontSize(8.5);
  const height = doc.heightOfString(shown, { width: box.width - 12 }) + 8;
  const usable = doc.page.height - doc.page.margins.top - doc.page.margins.bottom;
  if (height <= usable) ensureSpace(doc, height);
  if (doc.y + height <= doc.page.height - doc.page.margins.bottom) doc.rect(box.left, doc.y, box.width, height).fill('#f2f2f2');
  doc.fillColor('black').text(shown, box.left + 6, doc.y + 4, { width: box.width - 12 });
  doc.x = box.left;
  doc.moveDown(0.8);
}

function writeTable(pen: Pen, box: Box, table: Tokens.Table): void {
  const header = table.header.map((cell) => pen.text.fit(plainText(cell.tokens)));
  const rows = table.rows.map((row) => row.map((cell) => pen.text.fit(plainText(cell.tokens))));
  const weights = header.map((h, i) => Math.min(60, Math.max(6, h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (box.width * w) / total);
  writeGrid(pen, box, widths, header, rows, table.align);
}

// ---------------------------------------------------------------------------------------------
// Header and footer on every page, the original's pages included

async function stampPages(pdf: PdfLibDocument, input: ControlledCopyInput, originalAt: number, originalPages: number): Promise<void> {
  const text = new WinAnsiText();
  const oneLine = (s: string) => text.fit(s.replace(/\s+/g, ' '));
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const identity = oneLine(`${input.number} v${input.versionLabel} — ${input.title}`);
  const mark = oneLine(`UNCONTROLLED WHEN PRINTED — printed by ${input.printedBy} at ${utcStamp(input.printedAt)}`);
  const flags = oneLine([input.instanceName, isEffective(input.statusLabel) ? null : `NOT EFFECTIVE — ${input.statusLabel}`].filter(Boolean).join('  ·  '));
  const pages = pdf.getPages();
  pages.forEach((page, index) => {
    const isOriginal = index >= originalAt && index < originalAt + originalPages;
    if (isOriginal) addBands(page);
    isolateContent(pdf, page);
    const frame = displayFrame(page);
    const put = (s: string, font: PDFFont, size: number, u: number, v: number, color = rgb(0.2, 0.2, 0.2)) =>
      page.drawText(s, { ...frame.at(u, v), font, size, color, rotate: frame.rotate });
    if (isOriginal) {
      // White under the bands: they lie outside the original's visible page, so nothing of it is hidden.
      page.drawRectangle({ ...frame.at(0, frame.height - BAND), width: frame.width, height: BAND, color: rgb(1, 1, 1), rotate: frame.rotate });
      page.drawRectangle({ ...frame.at(0, 0), width: frame.width, height: BAND, color: rgb(1, 1, 1), rotate: frame.rotate });
    }
    const inner = frame.width - 72;
    const pageLabel = `Page ${index + 1} of ${pages.length}`;
    const flagsWidth = flags ? Math.min(bold.widthOfTextAtSize(flags, 8), inner / 2) : 0;
    put(shorten(identity, bold, 8.5, inner - flagsWidth - 12), bold, 8.5, 36, frame.height - 22);
    if (flags)
      put(
        shorten(flags, bold, 8, flagsWidth),
        bold,
        8,
        frame.width - 36 - flagsWidth,
        frame.height - 22,
        isEffective(input.statusLabel) ? rgb(0.35, 0.35, 0.35) : rgb(0.69, 0, 0.13),
      );
    const pageWidth = regular.widthOfTextAtSize(pageLabel, 8);
    put(pageLabel, regular, 8, frame.width - 36 - pageWidth, 16);
    const room = inner - pageWidth - 12;
    const size = Math.max(5.5, Math.min(7.5, (7.5 * room) / bold.widthOfTextAtSize(mark, 7.5)));
    put(shorten(mark, bold, size, room), bold, size, 36, 16, rgb(0.69, 0, 0.13));
  });
}

function shorten(s: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(s, size) <= width) return s;
  let cut = s;
  while (cut.length > 1 && font.widthOfTextAtSize(`${cut}…`, size) > width) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Wraps the page's existing content in q … Q so that what it leaves in the graphics state (pdfkit's flipped axis, say) does not move the stamp. */
function isolateContent(pdf: PdfLibDocument, page: PDFPage): void {
  page.node.normalize();
  const start = pdf.context.register(pdf.context.contentStream([pushGraphicsState()]));
  const end = pdf.context.register(pdf.context.contentStream([popGraphicsState()]));
  page.node.wrapContentStreams(start, end);
}

/** Grows an original's page by a band above and below (as displayed, rotation considered); its content is not moved or scaled. */
function addBands(page: PDFPage): void {
  const turned = rotationOf(page) % 180 !== 0;
  const crop = page.getCropBox();
  const grown = turned ? { ...crop, x: crop.x - BAND, width: crop.width + 2 * BAND } : { ...crop, y: crop.y - BAND, height: crop.height + 2 * BAND };
  const media = page.getMediaBox();
  const left = Math.min(media.x, grown.x);
  const bottom = Math.min(media.y, grown.y);
  page.setMediaBox(left, bottom, Math.max(media.x + media.width, grown.x + grown.width) - left, Math.max(media.y + media.height, grown.y + grown.height) - bottom);
  page.setCropBox(grown.x, grown.y, grown.width, grown.height);
}

const rotationOf = (page: PDFPage) => {
  const angle = ((page.getRotation().angle % 360) + 360) % 360;
  return angle === 90 || angle === 180 || angle === 270 ? angle : 0;
};

/** Maps coordinates on the page as displayed (origin bottom left, after /Rotate) to the page's own coordinates. */
function displayFrame(page: PDFPage) {
  const rotation = rotationOf(page);
  const b = page.getCropBox();
  const turned = rotation === 90 || rotation === 270;
  const at = (u: number, v: number) => {
    if (rotation === 90) return { x: b.x + b.width - v, y: b.y + u };
    if (rotation === 180) return { x: b.x + b.width - u, y: b.y + b.height - v };
    if (rotation === 270) return { x: b.x + v, y: b.y + b.height - u };
    return { x: b.x + u, y: b.y + v };
  };
  return { width: turned ? b.height : b.width, height: turned ? b.width : b.height, rotate: degrees(rotation), at };
}
