import { Table, Title, Typography } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import { type MarkdownBlock, markdownBlocks } from './markdownBlocks';

const heading = (order: 3 | 4 | 5 | 6) => ({ children }: { children?: ReactNode }) => (
  <Title order={order} mt="md" mb={6}>
    {children}
  </Title>
);

/** Headings sized for a document inside a page (the page title stays the largest). */
const components: Components = { h1: heading(3), h2: heading(4), h3: heading(5), h4: heading(6), h5: heading(6), h6: heading(6) };
/** Inside a table cell only inline Markdown makes sense: no paragraph around it. */
const inline: Components = { ...components, p: ({ children }) => <>{children}</> };

function Cell({ text }: { text: string }) {
  return (
    <ReactMarkdown skipHtml components={inline}>
      {text}
    </ReactMarkdown>
  );
}

function TableBlock({ block }: { block: Extract<MarkdownBlock, { kind: 'table' }> }) {
  return (
    <Table withTableBorder withColumnBorders fz="sm" verticalSpacing={4} my="sm">
      <Table.Thead>
        <Table.Tr>
          {block.header.map((cell, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
            <Table.Th key={i} ta={block.align[i]}>
              <Cell text={cell} />
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {block.rows.map((row, r) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
          <Table.Tr key={r}>
            {row.map((cell, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
              <Table.Td key={i} ta={block.align[i]}>
                <Cell text={cell} />
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * The text of a controlled document, rendered from Markdown (with pipe tables, as in the controlled
 * PDF). Raw HTML in the source is dropped (skipHtml), never rendered, and react-markdown's default
 * URL filter removes script links.
 */
export function Markdown({ source, testId }: { source: string; testId?: string }) {
  return (
    <Typography data-testid={testId} fz="sm" style={{ overflowWrap: 'anywhere' }}>
      {markdownBlocks(source).map((block, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: blocks are positional
        <Fragment key={i}>
          {block.kind === 'table' ? (
            <TableBlock block={block} />
          ) : (
            <ReactMarkdown skipHtml components={components}>
              {block.source}
            </ReactMarkdown>
          )}
        </Fragment>
      ))}
    </Typography>
  );
}
