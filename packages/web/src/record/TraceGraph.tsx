import { Box } from '@mantine/core';
import { type KeyboardEvent, type MouseEvent, useState } from 'react';
import { recordHref, type Trace } from '../endpoints';
import { humanize } from '../format';
import { navigate } from '../router';

type TraceNode = Trace['nodes'][number];
type TraceEdge = Trace['edges'][number];

const typeLabels: Record<string, string> = {
  deviation: 'Deviation',
  capa: 'CAPA',
  action: 'Action',
  change: 'Change',
  document: 'Document',
  document_revision: 'Revision',
};
/** "CAPA", "Revision": the record type as people call it. */
export const recordTypeLabel = (type: string) => typeLabels[type] ?? humanize(type);

/** One hue per record type, so the loop deviation → CAPA → change → revision reads at a glance. */
const typeColors: Record<string, string> = {
  deviation: 'orange',
  capa: 'red',
  action: 'grape',
  change: 'blue',
  document: 'teal',
  document_revision: 'green',
};
const color = (type: string, shade: number) => `var(--mantine-color-${typeColors[type] ?? 'gray'}-${shade})`;

const nodeWidth = 208;
const nodeHeight = 80;
const gapX = 28;
const gapY = 52;
const pad = 12;
/** Extra space under a row with links inside it, for their arcs. */
const arcRoom = 40;

interface Placed {
  node: TraceNode;
  x: number;
  y: number;
}

/**
 * Layered layout, top to bottom: one row per distance from the record (the page scrolls down, not
 * sideways), each row ordered by the mean position of its linked nodes in the row above (fewer
 * crossings), rows centred on each other.
 */
export function layoutTrace(trace: Trace): { placed: Map<string, Placed>; width: number; height: number } {
  const depths = [...new Set(trace.nodes.map((n) => n.depth))].sort((a, b) => a - b);
  const neighbours = new Map<string, string[]>();
  for (const e of trace.edges) {
    neighbours.set(e.from, [...(neighbours.get(e.from) ?? []), e.to]);
    neighbours.set(e.to, [...(neighbours.get(e.to) ?? []), e.from]);
  }
  const rank = new Map<string, number>();
  const rows: TraceNode[][] = [];
  for (const depth of depths) {
    const row = trace.nodes.filter((n) => n.depth === depth);
    const centre = (n: TraceNode) => {
      const ranks = (neighbours.get(n.id) ?? []).map((id) => rank.get(id)).filter((r): r is number => r !== undefined);
      return ranks.length ? ranks.reduce((a, b) => a + b, 0) / ranks.length : Number.POSITIVE_INFINITY;
    };
    row.sort((a, b) => centre(a) - centre(b) || a.type.localeCompare(b.type) || a.number.localeCompare(b.number));
    // Ranks are centred so that a row of one sits under the middle of a row of three.
    for (const [i, n] of row.entries()) rank.set(n.id, i - (row.length - 1) / 2);
    rows.push(row);
  }
  // A link within a row is drawn as an arc under it: that row gets more room below.
  const depthOf = new Map(trace.nodes.map((n) => [n.id, n.depth]));
  const arcRows = new Set(trace.edges.filter((e) => depthOf.get(e.from) === depthOf.get(e.to)).map((e) => depthOf.get(e.from)));
  const widest = Math.max(1, ...rows.map((r) => r.length));
  const width = pad * 2 + widest * nodeWidth + (widest - 1) * gapX;
  const placed = new Map<string, Placed>();
  let y = pad;
  for (const [index, row] of rows.entries()) {
    const rowWidth = row.length * nodeWidth + (row.length - 1) * gapX;
    const left = (width - rowWidth) / 2;
    for (const [i, node] of row.entries()) placed.set(node.id, { node, x: left + i * (nodeWidth + gapX), y });
    y += nodeHeight + gapY + (arcRows.has(depths[index]) ? arcRoom : 0);
  }
  return { placed, width, height: y - gapY + pad };
}

/** The path of a link and the point for its label: top to bottom between rows, an arc within one. */
function edgeGeometry(from: Placed, to: Placed): { d: string; labelX: number; labelY: number } {
  const fx = from.x + nodeWidth / 2;
  const tx = to.x + nodeWidth / 2;
  if (from.y === to.y) {
    const y = from.y + nodeHeight;
    const bulge = y + 36;
    return { d: `M ${fx} ${y} C ${fx} ${bulge}, ${tx} ${bulge}, ${tx} ${y + 2}`, labelX: (fx + tx) / 2, labelY: y + 27 };
  }
  const down = from.y < to.y;
  const sy = down ? from.y + nodeHeight : from.y;
  const ey = down ? to.y - 2 : to.y + nodeHeight + 2;
  const my = (sy + ey) / 2;
  return { d: `M ${fx} ${sy} C ${fx} ${my}, ${tx} ${my}, ${tx} ${ey}`, labelX: (fx + tx) / 2, labelY: my };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function Edge({ edge, placed, highlighted }: { edge: TraceEdge; placed: Map<string, Placed>; highlighted: boolean }) {
  const from = placed.get(edge.from);
  const to = placed.get(edge.to);
  if (!from || !to) return null;
  const { d, labelX, labelY } = edgeGeometry(from, to);
  const labelWidth = edge.type.length * 6.4 + 10;
  const stroke = highlighted ? 'var(--mantine-color-dark-4)' : 'var(--mantine-color-gray-5)';
  return (
    <g data-testid="trace-edge">
      <path d={d} fill="none" stroke={stroke} strokeWidth={highlighted ? 2 : 1.4} markerEnd={highlighted ? 'url(#trace-arrow-strong)' : 'url(#trace-arrow)'} />
      <rect x={labelX - labelWidth / 2} y={labelY - 9} width={labelWidth} height={18} rx={9} fill="white" stroke={stroke} strokeWidth={0.8} />
      <text x={labelX} y={labelY + 4} textAnchor="middle" fontSize={11} fill="var(--mantine-color-gray-7)">
        {edge.type}
      </text>
    </g>
  );
}

function NodeBox({ placed, current, hovered, onHover }: { placed: Placed; current: boolean; hovered: boolean; onHover: (id: string | null) => void }) {
  const hover = { onMouseEnter: () => onHover(placed.node.id), onMouseLeave: () => onHover(null), onFocus: () => onHover(placed.node.id), onBlur: () => onHover(null) };
  const { node, x, y } = placed;
  const href = recordHref(node.type, node.id);
  const go = (event: MouseEvent | KeyboardEvent) => {
    if ('button' in event && (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)) return;
    event.preventDefault();
    navigate(href);
  };
  const training = node.training;
  const box = (
    <g style={{ cursor: current ? 'default' : 'pointer' }}>
      <rect
        x={x}
        y={y}
        width={nodeWidth}
        height={nodeHeight}
        rx={6}
        fill={current ? color(node.type, 0) : 'white'}
        stroke={current || hovered ? color(node.type, 6) : 'var(--mantine-color-gray-4)'}
        strokeWidth={current ? 2 : hovered ? 1.6 : 1}
      />
      <rect x={x} y={y} width={5} height={nodeHeight} rx={2} fill={color(node.type, 6)} />
      <text x={x + 14} y={y + 17} fontSize={10.5} fontWeight={700} fill={color(node.type, 8)} style={{ textTransform: 'uppercase', letterSpacing: 0.4 }}>
        {recordTypeLabel(node.type)}
        <tspan fontWeight={400} fill="var(--mantine-color-gray-7)" style={{ textTransform: 'none' }}>
          {` · ${clip(humanize(node.status), 22)}`}
        </tspan>
      </text>
      <text x={x + 14} y={y + 35} fontSize={13} fontWeight={700} fontFamily="var(--mantine-font-family-monospace)" fill="var(--mantine-color-dark-7)">
        {clip(node.number, 24)}
      </text>
      <text x={x + 14} y={y + 52} fontSize={12} fill="var(--mantine-color-dark-5)">
        <title>{node.title}</title>
        {clip(node.title, 30)}
      </text>
      {training && (
        <text x={x + 14} y={y + 70} fontSize={11} fill="var(--mantine-color-gray-7)" data-testid="trace-training">
          <tspan fontWeight={700} fill={training.required > 0 && training.completed === training.required ? 'var(--mantine-color-teal-8)' : 'var(--mantine-color-dark-6)'}>
            {`trained ${training.completed}/${training.required}`}
          </tspan>
          {training.overdue > 0 && <tspan fill="var(--mantine-color-red-7)" fontWeight={700}>{` · ${training.overdue} overdue`}</tspan>}
          {training.overdue === 0 && training.open > 0 && <tspan>{` · ${training.open} open`}</tspan>}
        </text>
      )}
    </g>
  );
  if (current) {
    return (
      <g data-testid="trace-node" data-current="true" {...hover} aria-label={`${recordTypeLabel(node.type)} ${node.number} (this record), ${humanize(node.status)}`}>
        {box}
      </g>
    );
  }
  return (
    <a
      href={href}
      onClick={go}
      {...hover}
      aria-label={`${recordTypeLabel(node.type)} ${node.number}: ${node.title}, ${humanize(node.status)}${training ? `, trained ${training.completed} of ${training.required}` : ''}`}
      data-testid="trace-node"
    >
      {box}
    </a>
  );
}

/**
 * The trace around a record as a graph: rows by distance from the record, a box per record
 * (type, status, number, title; revisions with "trained n/m"), arrows with the link type. Every box
 * but the record's own opens its page.
 */
export function TraceGraph({ trace, recordId }: { trace: Trace; recordId: string }) {
  const [hovered, setHovered] = useState<string | null>(null);
  const { placed, width, height } = layoutTrace(trace);
  return (
    <Box component="figure" m={0} style={{ overflowX: 'auto' }} aria-label="Trace graph" data-testid="trace-graph">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} style={{ display: 'block', fontFamily: 'var(--mantine-font-family)' }}>
        <title>Trace: linked records and the links between them</title>
        <defs>
          <marker id="trace-arrow" viewBox="0 0 10 10" refX={9} refY={5} markerWidth={7} markerHeight={7} orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="var(--mantine-color-gray-5)" />
          </marker>
          <marker id="trace-arrow-strong" viewBox="0 0 10 10" refX={9} refY={5} markerWidth={7} markerHeight={7} orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="var(--mantine-color-dark-4)" />
          </marker>
        </defs>
        {trace.edges.map((edge) => (
          <Edge key={`${edge.from}-${edge.to}-${edge.type}`} edge={edge} placed={placed} highlighted={hovered !== null && (edge.from === hovered || edge.to === hovered)} />
        ))}
        {[...placed.values()].map((p) => (
          <NodeBox key={p.node.id} placed={p} current={p.node.id === recordId} hovered={hovered === p.node.id} onHover={setHovered} />
        ))}
      </svg>
    </Box>
  );
}
