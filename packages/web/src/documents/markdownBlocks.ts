/**
 * react-markdown renders CommonMark only; documents (and the controlled PDF, rendered with marked)
 * also use GitHub-style pipe tables. This splits a source into plain Markdown and table blocks so
 * that tables can be rendered as tables. Fenced code is left alone.
 */
export type MarkdownBlock = { kind: 'markdown'; source: string } | { kind: 'table'; header: string[]; align: ('left' | 'center' | 'right' | undefined)[]; rows: string[][] };

const delimiterRow = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/** The cells of a pipe-table row: outer pipes dropped, escaped pipes (\|) kept in the cell. */
export function splitRow(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

export function markdownBlocks(source: string): MarkdownBlock[] {
  const lines = source.split('\n');
  const blocks: MarkdownBlock[] = [];
  let plain: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    if (plain.length) blocks.push({ kind: 'markdown', source: plain.join('\n') });
    plain = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fenceMatch = /^\s*(```|~~~)/.exec(line);
    if (fenceMatch) fence = fence === null ? fenceMatch[1] : fence === fenceMatch[1] ? null : fence;
    const next = lines[i + 1];
    if (fence === null && line.includes('|') && next !== undefined && delimiterRow.test(next) && (plain.length === 0 || plain[plain.length - 1].trim() === '')) {
      const header = splitRow(line);
      const align = splitRow(next).map((d) => (d.startsWith(':') && d.endsWith(':') ? 'center' : d.endsWith(':') ? 'right' : d.startsWith(':') ? 'left' : undefined));
      if (align.length === header.length) {
        const rows: string[][] = [];
        let j = i + 2;
        while (j < lines.length && lines[j].trim() !== '' && lines[j].includes('|')) {
          const cells = splitRow(lines[j]);
          rows.push(header.map((_, k) => cells[k] ?? ''));
          j++;
        }
        flush();
        blocks.push({ kind: 'table', header, align, rows });
        i = j - 1;
        continue;
      }
    }
    plain.push(line);
  }
  flush();
  return blocks;
}
