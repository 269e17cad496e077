import { Anchor, Badge, Button, Checkbox, Group, Paper, Select, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { endpoints, type ListParams, type Page, type RecordSummary } from '../endpoints';
import { formatDate } from '../format';
import { linkProps, navigate, useLocation, withQuery } from '../router';
import { DateTime, Empty, Loading, QueryError, StatusBadge } from './common';

type SortField = 'number' | 'dueDate' | 'updatedAt';

export interface RecordTableProps {
  /** Query-cache key of the record type, e.g. 'deviations'. */
  cacheKey: string;
  fetchPage: (params: ListParams) => Promise<Page<RecordSummary>>;
  statuses: { value: string; label: string }[];
  hrefFor: (record: RecordSummary) => string;
  /** What the records are called, for empty states ("deviations"). */
  noun: string;
  pageSize?: number;
}

export function SortHeader({ field, label, sort, onSort }: { field: SortField; label: string; sort: string; onSort: (sort: string) => void }) {
  const active = sort === field || sort === `-${field}`;
  const descending = sort === `-${field}`;
  const next = active && !descending ? `-${field}` : field === 'updatedAt' && !active ? '-updatedAt' : field;
  return (
    <Table.Th aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'} style={{ whiteSpace: 'nowrap' }}>
      <UnstyledButton onClick={() => onSort(next)} fw={600} fz="sm" aria-label={`Sort by ${label}`}>
        {label} <span aria-hidden>{active ? (descending ? '▼' : '▲') : '↕'}</span>
      </UnstyledButton>
    </Table.Th>
  );
}

/**
 * The kernel's list of quality records: search, status/site/mine filters and sort kept in the URL
 * (so back and bookmarks work), cursor paging with "Load more".
 */
export function RecordTable({ cacheKey, fetchPage, statuses, hrefFor, noun, pageSize = 50 }: RecordTableProps) {
  // Below 75em (tablets) the site (part of the number), owner (under the title) and last change columns give way.
  const wide = useMediaQuery('(min-width: 75em)', true, { getInitialValueInEffect: false });
  const location = useLocation();
  const params = location.search;
  const status = params.get('status') ?? '';
  const site = params.get('site') ?? '';
  const sort = params.get('sort') ?? '-updatedAt';
  const mine = params.get('mine') === 'true';
  const [q, setQ] = useState(params.get('q') ?? '');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);

  const update = (changes: Record<string, string | boolean | undefined>) => {
    const current = { q: params.get('q') ?? undefined, status, site, sort: sort === '-updatedAt' ? undefined : sort, mine };
    navigate(withQuery(location.pathname, { ...current, ...changes }), { replace: true });
  };

  // Only the debounced text drives the URL; "Clear filters" resets both, so the URL is not a dependency.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    if (debouncedQ !== (params.get('q') ?? '')) update({ q: debouncedQ || undefined });
  }, [debouncedQ]);

  const sites = useQuery({ queryKey: ['sites'], queryFn: endpoints.sites, staleTime: 300_000 });
  const filters = { q: params.get('q') ?? undefined, status: status || undefined, site: site || undefined, sort, mine: mine || undefined };
  const list = useInfiniteQuery({
    queryKey: [cacheKey, 'list', filters],
    queryFn: ({ pageParam }) => fetchPage({ ...filters, limit: pageSize, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const filtered = Boolean(filters.q || filters.status || filters.site || filters.mine);

  return (
    <Paper withBorder radius="md">
      <Group p="sm" gap="sm" align="flex-end" wrap="wrap" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <TextInput
          label="Search"
          placeholder={`Number, title or text`}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          style={{ flex: '1 1 240px' }}
          size="sm"
        />
        <Select
          label="Status"
          placeholder="Any status"
          data={statuses}
          value={status || null}
          onChange={(v) => update({ status: v ?? undefined })}
          clearable
          w={200}
          size="sm"
        />
        <Select
          label="Site"
          placeholder="Any site"
          data={(sites.data?.items ?? []).map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }))}
          value={site || null}
          onChange={(v) => update({ site: v ?? undefined })}
          clearable
          w={180}
          size="sm"
        />
        <Checkbox label="Mine only" checked={mine} onChange={(e) => update({ mine: e.currentTarget.checked })} mb={8} />
        {filtered && (
          <Button
            variant="subtle"
            size="xs"
            mb={4}
            onClick={() => {
              setQ('');
              navigate(location.pathname, { replace: true });
            }}
          >
            Clear filters
          </Button>
        )}
      </Group>

      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <QueryError error={list.error} what={noun} />
      ) : rows.length === 0 ? (
        <Empty>{filtered ? `No ${noun} match these filters.` : `No ${noun} yet.`}</Empty>
      ) : (
        <Table.ScrollContainer minWidth={wide ? 860 : 560}>
          <Table striped highlightOnHover verticalSpacing={6} horizontalSpacing="sm" fz="sm" aria-label={noun}>
            <Table.Thead>
              <Table.Tr>
                <SortHeader field="number" label="Number" sort={sort} onSort={(s) => update({ sort: s })} />
                <Table.Th>Title</Table.Th>
                <Table.Th>Status</Table.Th>
                {wide && <Table.Th>Site</Table.Th>}
                {wide && <Table.Th>Owner</Table.Th>}
                <SortHeader field="dueDate" label="Due" sort={sort} onSort={(s) => update({ sort: s })} />
                {wide && <SortHeader field="updatedAt" label="Updated" sort={sort} onSort={(s) => update({ sort: s })} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((record) => (
                <Table.Tr key={record.id} onClick={() => navigate(hrefFor(record))} style={{ cursor: 'pointer' }} data-testid="record-row">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Anchor {...linkProps(hrefFor(record))} fw={600} fz="sm" onClickCapture={(e) => e.stopPropagation()}>
                      {record.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td style={{ minWidth: 200 }}>
                    {record.title}
                    {!wide && (
                      <Text size="xs" c="dimmed">
                        {record.ownerName}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <StatusBadge status={record.status} label={record.statusLabel} />
                  </Table.Td>
                  {wide && <Table.Td>{record.siteCode}</Table.Td>}
                  {wide && <Table.Td style={{ whiteSpace: 'nowrap' }}>{record.ownerName}</Table.Td>}
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <DueDate dueDate={record.dueDate} overdue={record.overdue} wrap={!wide} />
                  </Table.Td>
                  {wide && (
                    <Table.Td>
                      <DateTime iso={record.updatedAt} />
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {rows.length > 0 && <LoadMoreFooter shown={rows.length} total={total} list={list} />}
    </Paper>
  );
}

/** "Showing n of N" and "Load more" under a keyset-paged list. */
export function LoadMoreFooter({ shown, total, list }: { shown: number; total: number; list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  return (
    <Group justify="space-between" p="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
      <Text size="sm" c="dimmed" aria-live="polite">
        Showing {shown} of {total}
      </Text>
      {list.hasNextPage && (
        <Button variant="default" size="xs" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </Group>
  );
}

/** A due date, red with an "Overdue" badge when past. */
export function DueDate({ dueDate, overdue, wrap = false }: { dueDate: string | null; overdue: boolean; wrap?: boolean }) {
  if (!dueDate) return <Text span c="dimmed" fz="sm">—</Text>;
  return (
    <Group gap={wrap ? 2 : 6} wrap={wrap ? 'wrap' : 'nowrap'}>
      <Text span fz="sm" c={overdue ? 'red.7' : undefined} fw={overdue ? 600 : undefined}>
        {formatDate(dueDate)}
      </Text>
      {overdue && (
        <Badge color="red" size="xs" variant="filled" styles={{ root: { maxWidth: 'none', flexShrink: 0 }, label: { overflow: 'visible' } }}>
          Overdue
        </Badge>
      )}
    </Group>
  );
}
