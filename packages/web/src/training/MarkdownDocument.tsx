import { Badge, Box, Table, Title, Typography } from '@mantine/core';
import Markdown, { type Components } from 'react-markdown';

interface Section {
  heading: string | null;
  level: number;
  text: string;
  changed: boolean;
}

/** "5.2 Glove change" and "glove change" name the same section. */
export function sectionKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/^[\d.\s)]+/, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The keys a changed-section name may match: itself, and the heading it points into ("Procedure, step 4" → "Procedure"). */
function changedKeys(name: string): string[] {
  const head = name.split(/\s*[,:;(–—]|\s+-\s+/)[0];
  return [sectionKey(name), sectionKey(head)].filter(Boolean);
}

/**
 * Splits Markdown at its ATX headings (outside code fences) and marks the sections named as
 * changed, with their sub-sections.
 */
export function splitSections(markdown: string, changedSections: string[]): Section[] {
  const changed = new Set(changedSections.flatMap(changedKeys));
  const sections: Section[] = [];
  let current: Section = { heading: null, level: 0, text: '', changed: false };
  let fence: string | null = null;
  let changedLevel: number | null = null;
  for (const line of markdown.split('\n')) {
    const fenceMatch = /^\s{0,3}(```|~~~)/.exec(line);
    if (fenceMatch) fence = fence === null ? fenceMatch[1] : fence === fenceMatch[1] ? null : fence;
    const heading = fence === null && !fenceMatch ? /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line) : null;
    if (heading) {
      if (current.text.trim() || current.heading) sections.push(current);
      const level = heading[1].length;
      if (changedLevel !== null && level <= changedLevel) changedLevel = null;
      const named = changed.has(sectionKey(heading[2]));
      if (named && changedLevel === null) changedLevel = level;
      current = { heading: heading[2], level, text: `${line}\n`, changed: named || changedLevel !== null };
    } else {
      current.text += `${line}\n`;
    }
  }
  if (current.text.trim() || current.heading) sections.push(current);
  return sections;
}

/** Which of the named changed sections have no heading of that name in the text. */
export function unmatchedSections(markdown: string, changedSections: string[]): string[] {
  const headings = new Set(splitSections(markdown, []).map((s) => (s.heading ? sectionKey(s.heading) : '')));
  return changedSections.filter((name) => !changedKeys(name).some((key) => headings.has(key)));
}

/** Document headings sit below the page's own (h2 title, h3 steps) and are sized for reading, not for a cover page. */
const components: Components = {
  h1: ({ children }) => (
    <Title order={4} fz="xl" mt="lg" mb="xs">
      {children}
    </Title>
  ),
  h2: ({ children }) => (
    <Title order={5} fz="lg" mt="md" mb="xs">
      {children}
    </Title>
  ),
  h3: ({ children }) => (
    <Title order={6} fz="md" mt="md" mb={4}>
      {children}
    </Title>
  ),
  h4: ({ children }) => (
    <Title order={6} fz="sm" mt="sm" mb={4}>
      {children}
    </Title>
  ),
  h5: ({ children }) => (
    <Title order={6} fz="sm" mt="sm" mb={4}>
      {children}
    </Title>
  ),
  h6: ({ children }) => (
    <Title order={6} fz="sm" mt="sm" mb={4}>
      {children}
    </Title>
  ),
};

/** Inline Markdown of one table cell (no paragraph around it). */
function Inline({ text }: { text: string }) {
  return (
    <Markdown skipHtml disallowedElements={['p']} unwrapDisallowed>
      {text}
    </Markdown>
  );
}

const delimiterRow = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const cellsOf = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));

type Block = { kind: 'markdown'; text: string } | { kind: 'table'; header: string[]; rows: string[][] };

/**
 * Pipe tables (GitHub style) are common in procedures; the Markdown renderer here is CommonMark
 * only, so tables are picked out of the text and drawn as tables (outside code fences).
 */
export function splitTables(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let text: string[] = [];
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fenceMatch = /^\s{0,3}(```|~~~)/.exec(line);
    if (fenceMatch) fence = fence === null ? fenceMatch[1] : fence === fenceMatch[1] ? null : fence;
    if (fence === null && !fenceMatch && line.includes('|') && i + 1 < lines.length && delimiterRow.test(lines[i + 1])) {
      const header = cellsOf(line);
      const rows: string[][] = [];
      let j = i + 2;
      while (j < lines.length && lines[j].includes('|') && lines[j].trim()) rows.push(cellsOf(lines[j++]));
      if (text.length) blocks.push({ kind: 'markdown', text: text.join('\n') });
      text = [];
      blocks.push({ kind: 'table', header, rows });
      i = j - 1;
      continue;
    }
    text.push(line);
  }
  if (text.join('').trim()) blocks.push({ kind: 'markdown', text: text.join('\n') });
  return blocks;
}

function SectionBody({ text }: { text: string }) {
  return (
    <>
      {splitTables(text).map((block, index) =>
        block.kind === 'markdown' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks are positional and never reordered
          <Markdown key={index} skipHtml components={components}>
            {block.text}
          </Markdown>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks are positional and never reordered
          <Table key={index} withTableBorder withColumnBorders fz="sm" my="sm" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                {block.header.map((cell, c) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                  <Table.Th key={c}>
                    <Inline text={cell} />
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {block.rows.map((row, r) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
                <Table.Tr key={r}>
                  {block.header.map((_, c) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                    <Table.Td key={c}>
                      <Inline text={row[c] ?? ''} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ),
      )}
    </>
  );
}

/**
 * The text of a controlled document, rendered from Markdown. Raw HTML in the source is dropped,
 * never rendered; links keep react-markdown's safe URL filter. Sections changed in this revision
 * are highlighted.
 */
export function MarkdownDocument({ markdown, changedSections = [] }: { markdown: string; changedSections?: string[] }) {
  const sections = splitSections(markdown, changedSections);
  return (
    <Typography data-testid="document-text" style={{ overflowWrap: 'anywhere' }}>
      {sections.map((section, index) =>
        section.changed ? (
          <Box
            // biome-ignore lint/suspicious/noArrayIndexKey: sections are positional and never reordered
            key={index}
            component="section"
            aria-label={`Changed in this revision: ${section.heading ?? 'introduction'}`}
            data-testid="changed-section"
            px="sm"
            py={4}
            my="xs"
            style={{ borderLeft: '4px solid var(--mantine-color-yellow-6)', background: 'var(--mantine-color-yellow-0)', borderRadius: 4, position: 'relative' }}
          >
            <Badge size="xs" color="yellow" variant="filled" c="dark.8" tt="none" style={{ position: 'absolute', right: 6, top: 6 }}>
              Changed
            </Badge>
            <SectionBody text={section.text} />
          </Box>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: sections are positional and never reordered
          <SectionBody key={index} text={section.text} />
        ),
      )}
    </Typography>
  );
}
