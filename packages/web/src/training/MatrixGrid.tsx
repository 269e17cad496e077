import { Box, Paper, Text, UnstyledButton } from '@mantine/core';
import type { MatrixStatus } from '@verity/contracts';
import { forwardRef, type MouseEvent, type FocusEvent, useImperativeHandle, useRef, useState } from 'react';
import { formatLocal } from '../format';
import { linkProps } from '../router';
import type { MatrixCell, MatrixDocument, MatrixPerson } from './endpoints';
import { matrixStatusStyle } from './labels';

const COLUMN_WIDTH = 96;
const NAME_WIDTH = 220;

/** One line per fact of a cell, for the tooltip and for screen readers. */
function describeCell(person: MatrixPerson, document: MatrixDocument, cell: MatrixCell | undefined): string[] {
  if (!cell) return [`${person.fullName} · ${document.number}`, 'Not required for this person'];
  const style = matrixStatusStyle[cell.status];
  const lines = [`${person.fullName} · ${document.number} ${document.title}`, `${style.label}: ${style.meaning}`];
  if (cell.versionLabel)
    lines.push(`Version ${cell.versionLabel}${document.versionLabel && document.versionLabel !== cell.versionLabel ? ` (effective: ${document.versionLabel})` : ''}`);
  if (cell.completedAt) lines.push(`Completed ${formatLocal(cell.completedAt)}`);
  if (cell.dueAt && cell.status !== 'current') lines.push(`Due ${formatLocal(cell.dueAt)}`);
  if (cell.assignmentId) lines.push('Click to open the training');
  return lines;
}

interface TipHandle {
  show: (target: HTMLElement, lines: string[]) => void;
  hide: () => void;
}

/** One tooltip for the whole grid (a grid of thousands of cells cannot afford one each). */
const GridTooltip = forwardRef<TipHandle>(function GridTooltip(_props, ref) {
  const [tip, setTip] = useState<{ top: number; left: number; above: boolean; lines: string[] } | null>(null);
  useImperativeHandle(ref, () => ({
    show: (target, lines) => {
      const rect = target.getBoundingClientRect();
      const left = Math.min(Math.max(rect.left + rect.width / 2 - 150, 8), window.innerWidth - 308);
      // Below the cell when there is room, else above it.
      const above = rect.bottom + 140 > window.innerHeight;
      setTip({ top: above ? rect.top - 6 : rect.bottom + 6, left, above, lines });
    },
    hide: () => setTip(null),
  }));
  if (!tip) return null;
  return (
    <Paper
      shadow="md"
      p={8}
      radius="sm"
      bg="dark.7"
      role="tooltip"
      style={{ position: 'fixed', top: tip.top, left: tip.left, width: 300, zIndex: 400, pointerEvents: 'none', transform: tip.above ? 'translateY(-100%)' : undefined }}
    >
      {tip.lines.map((line, i) => (
        <Text key={line} size="xs" fw={i === 0 ? 650 : 400} c="white">
          {line}
        </Text>
      ))}
    </Paper>
  );
});

function Cell({ cell, label, index }: { cell: MatrixCell | undefined; label: string; index: string }) {
  if (!cell) {
    return (
      <Box data-cell={index} aria-label={label} h={30} style={{ display: 'grid', placeItems: 'center', color: 'var(--mantine-color-gray-4)' }}>
        ·
      </Box>
    );
  }
  const style = matrixStatusStyle[cell.status as MatrixStatus];
  const content = (
    <>
      <span aria-hidden style={{ fontWeight: 700, marginRight: 4 }}>
        {style.symbol}
      </span>
      {cell.versionLabel ?? style.label}
    </>
  );
  const look = {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    height: 30,
    borderRadius: 4,
    fontSize: 'var(--mantine-font-size-xs)',
    whiteSpace: 'nowrap',
    background: `var(--mantine-color-${style.color}-${cell.status === 'missing' ? 1 : 2})`,
    color: `var(--mantine-color-${style.color}-9)`,
    textDecoration: 'none',
    border: cell.status === 'overdue' || cell.status === 'failed' ? `1px solid var(--mantine-color-${style.color}-6)` : '1px solid transparent',
  } as const;
  if (!cell.assignmentId) {
    return (
      <Box data-cell={index} aria-label={label} style={look} data-status={cell.status}>
        {content}
      </Box>
    );
  }
  return (
    <Box component="a" data-cell={index} aria-label={label} style={look} data-status={cell.status} {...linkProps(`/training/${cell.assignmentId}`)}>
      {content}
    </Box>
  );
}

/**
 * People × documents, coloured by status. Scrolls both ways inside its frame, with the names
 * (first column) and the document numbers (header) kept in view.
 */
export function MatrixGrid({ documents, people, onPerson }: { documents: MatrixDocument[]; people: MatrixPerson[]; onPerson?: (person: MatrixPerson) => void }) {
  const tip = useRef<TipHandle>(null);
  const describe = (target: EventTarget | null): { el: HTMLElement; lines: string[] } | null => {
    const el = (target as HTMLElement | null)?.closest?.('[data-cell]') as HTMLElement | null;
    if (!el) return null;
    const [p, d] = (el.dataset.cell ?? '').split(':').map(Number);
    const person = people[p];
    const document = documents[d];
    if (!person || !document) return null;
    return { el, lines: describeCell(person, document, person.cells[document.id]) };
  };
  const onOver = (event: MouseEvent | FocusEvent) => {
    const hit = describe(event.target);
    if (hit) tip.current?.show(hit.el, hit.lines);
    else tip.current?.hide();
  };
  const sticky = { position: 'sticky', background: 'var(--mantine-color-white)' } as const;
  return (
    <Box
      style={{ overflow: 'auto', maxHeight: 'max(420px, calc(100vh - 330px))', position: 'relative' }}
      onMouseOver={onOver}
      onFocus={onOver}
      onMouseLeave={() => tip.current?.hide()}
      onBlur={() => tip.current?.hide()}
      onScroll={() => tip.current?.hide()}
      data-testid="training-matrix"
    >
      <table style={{ borderCollapse: 'separate', borderSpacing: 0, fontSize: 'var(--mantine-font-size-sm)' }} aria-label="Training matrix">
        <thead>
          <tr>
            <th
              scope="col"
              style={{
                ...sticky,
                top: 0,
                left: 0,
                zIndex: 3,
                minWidth: NAME_WIDTH,
                maxWidth: NAME_WIDTH,
                textAlign: 'left',
                padding: '6px 10px',
                borderBottom: '1px solid var(--mantine-color-gray-3)',
                borderRight: '1px solid var(--mantine-color-gray-3)',
                verticalAlign: 'bottom',
              }}
            >
              Person
            </th>
            {documents.map((d) => (
              <th
                key={d.id}
                scope="col"
                title={`${d.number} — ${d.title}${d.versionLabel ? ` (effective v${d.versionLabel})` : ''}`}
                style={{
                  ...sticky,
                  top: 0,
                  zIndex: 2,
                  minWidth: COLUMN_WIDTH,
                  maxWidth: COLUMN_WIDTH,
                  padding: '6px 4px',
                  borderBottom: '1px solid var(--mantine-color-gray-3)',
                  verticalAlign: 'bottom',
                  textAlign: 'left',
                }}
              >
                <Text size="xs" fw={700} style={{ whiteSpace: 'nowrap' }}>
                  {d.number}
                </Text>
                <Text size="xs" c="dimmed" fw={400} lineClamp={2} style={{ lineHeight: 1.25 }}>
                  {d.title}
                </Text>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {people.map((person, p) => (
            <tr key={person.id} data-testid="matrix-row">
              <th
                scope="row"
                style={{
                  ...sticky,
                  left: 0,
                  zIndex: 1,
                  minWidth: NAME_WIDTH,
                  maxWidth: NAME_WIDTH,
                  textAlign: 'left',
                  fontWeight: 400,
                  padding: '3px 10px',
                  borderBottom: '1px solid var(--mantine-color-gray-2)',
                  borderRight: '1px solid var(--mantine-color-gray-3)',
                }}
              >
                {onPerson ? (
                  <UnstyledButton onClick={() => onPerson(person)} fz="sm" fw={600} c="teal.8" title="Training profile" style={{ display: 'block', maxWidth: '100%' }}>
                    <Text span inherit truncate="end" style={{ display: 'block' }}>
                      {person.fullName}
                    </Text>
                  </UnstyledButton>
                ) : (
                  <Text size="sm" fw={600} truncate="end">
                    {person.fullName}
                  </Text>
                )}
                <Text size="xs" c="dimmed" truncate="end">
                  {person.username}
                  {person.department ? ` · ${person.department}` : ''}
                </Text>
              </th>
              {documents.map((d, i) => (
                <td key={d.id} style={{ padding: 3, borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
                  <Cell cell={person.cells[d.id]} index={`${p}:${i}`} label={describeCell(person, d, person.cells[d.id]).join('. ')} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <GridTooltip ref={tip} />
    </Box>
  );
}
