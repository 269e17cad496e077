import { Anchor, Button, Group, Paper, Select, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { hasPermission, useMe } from '../auth';
import { Empty, Loading, QueryError, StatusBadge } from '../components/common';
import { DueDate, LoadMoreFooter, SortHeader } from '../components/RecordTable';
import { documentEndpoints } from '../documents/endpoints';
import { documentStatusOptions } from '../documents/labels';
import { endpoints } from '../endpoints';
import { linkProps, navigate, useLocation, withQuery } from '../router';

const pageSize = 50;

/** The documents library: every controlled document with its current version, status and next periodic review. */
export function DocumentsPage() {
  const me = useMe().data;
  return (
    <>
      <Group justify="space-between" mb="md" align="flex-end" wrap="nowrap">
        <div>
          <Title order={2}>Documents</Title>
          <Text size="sm" c="dimmed">
            Controlled documents (SOPs, policies, work instructions, forms…): the effective version of each, its revisions, who must read it, and when it is due for
            periodic review.
          </Text>
        </div>
        {hasPermission(me, 'document:create') && (
          <Button component="a" {...linkProps('/documents/new')} style={{ flexShrink: 0 }}>
            New document
          </Button>
        )}
      </Group>
      <DocumentTable />
    </>
  );
}

function DocumentTable() {
  // Below 75em (tablets) the site, owner and department columns give way.
  const wide = useMediaQuery('(min-width: 75em)', true, { getInitialValueInEffect: false });
  const location = useLocation();
  const params = location.search;
  const filters = {
    q: params.get('q') ?? undefined,
    status: params.get('status') ?? undefined,
    site: params.get('site') ?? undefined,
    docType: params.get('docType') ?? undefined,
    department: params.get('department') ?? undefined,
    sort: params.get('sort') ?? 'number',
  };
  const [q, setQ] = useState(filters.q ?? '');
  const [department, setDepartment] = useState(filters.department ?? '');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [debouncedDepartment] = useDebouncedValue(department.trim().toUpperCase(), 300);

  const update = (changes: Record<string, string | undefined>) => {
    const current = { ...filters, sort: filters.sort === 'number' ? undefined : filters.sort };
    navigate(withQuery(location.pathname, { ...current, ...changes }), { replace: true });
  };
  // Only the debounced texts drive the URL; "Clear filters" resets them, so the URL is not a dependency.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    if (debouncedQ !== (filters.q ?? '') || debouncedDepartment !== (filters.department ?? '')) update({ q: debouncedQ || undefined, department: debouncedDepartment || undefined });
  }, [debouncedQ, debouncedDepartment]);

  const sites = useQuery({ queryKey: ['sites'], queryFn: endpoints.sites, staleTime: 300_000 });
  const types = useQuery({ queryKey: ['document-types'], queryFn: documentEndpoints.documentTypes, staleTime: 300_000 });
  const typeOf = new Map((types.data?.items ?? []).map((t) => [t.code, t]));
  const list = useInfiniteQuery({
    queryKey: ['documents', 'list', filters],
    queryFn: ({ pageParam }) => documentEndpoints.listDocuments({ ...filters, limit: pageSize, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const filtered = Boolean(filters.q || filters.status || filters.site || filters.docType || filters.department);
  const sortBy = (sort: string) => update({ sort: sort === 'number' ? undefined : sort });

  return (
    <Paper withBorder radius="md">
      <Group p="sm" gap="sm" align="flex-end" wrap="wrap" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <TextInput label="Search" placeholder="Number, title or text" value={q} onChange={(e) => setQ(e.currentTarget.value)} style={{ flex: '1 1 220px' }} size="sm" />
        <Select
          label="Type"
          placeholder="Any type"
          data={(types.data?.items ?? []).map((t) => ({ value: t.code, label: t.label }))}
          value={filters.docType ?? null}
          onChange={(v) => update({ docType: v ?? undefined })}
          clearable
          w={210}
          size="sm"
        />
        <Select label="Status" placeholder="Any status" data={documentStatusOptions} value={filters.status ?? null} onChange={(v) => update({ status: v ?? undefined })} clearable w={160} size="sm" />
        <TextInput label="Department" placeholder="e.g. QA" value={department} onChange={(e) => setDepartment(e.currentTarget.value.toUpperCase())} w={110} size="sm" />
        <Select
          label="Site"
          placeholder="Any site"
          data={(sites.data?.items ?? []).map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }))}
          value={filters.site ?? null}
          onChange={(v) => update({ site: v ?? undefined })}
          clearable
          w={180}
          size="sm"
        />
        {filtered && (
          <Button
            variant="subtle"
            size="xs"
            mb={4}
            onClick={() => {
              setQ('');
              setDepartment('');
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
        <QueryError error={list.error} what="documents" />
      ) : rows.length === 0 ? (
        <Empty>{filtered ? 'No documents match these filters.' : 'No documents yet.'}</Empty>
      ) : (
        <Table.ScrollContainer minWidth={wide ? 1000 : 700}>
          <Table striped highlightOnHover verticalSpacing={6} horizontalSpacing="sm" fz="sm" aria-label="documents">
            <Table.Thead>
              <Table.Tr>
                <SortHeader field="number" label="Number" sort={filters.sort} onSort={sortBy} />
                <Table.Th>Title</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Version</Table.Th>
                <Table.Th>Status</Table.Th>
                {wide && <Table.Th>Dept.</Table.Th>}
                {wide && <Table.Th>Site</Table.Th>}
                {wide && <Table.Th>Owner</Table.Th>}
                <SortHeader field="dueDate" label="Next review" sort={filters.sort} onSort={sortBy} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((d) => {
                const href = `/documents/${d.id}`;
                return (
                  <Table.Tr key={d.id} onClick={() => navigate(href)} style={{ cursor: 'pointer' }} data-testid="record-row">
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Anchor {...linkProps(href)} fw={600} fz="sm" onClickCapture={(e) => e.stopPropagation()}>
                        {d.number}
                      </Anchor>
                    </Table.Td>
                    <Table.Td style={{ minWidth: 200 }}>
                      {d.title}
                      {!wide && (
                        <Text size="xs" c="dimmed">
                          {d.department} · {d.siteCode} · {d.ownerName}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Tooltip label={typeOf.get(d.docType)?.label ?? d.docType} openDelay={300}>
                        <Text span size="sm">
                          {typeOf.get(d.docType)?.prefix ?? d.docType}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{d.versionLabel ?? <Text span c="dimmed" size="sm">—</Text>}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <StatusBadge status={d.status} label={d.statusLabel} />
                    </Table.Td>
                    {wide && <Table.Td>{d.department}</Table.Td>}
                    {wide && <Table.Td>{d.siteCode}</Table.Td>}
                    {wide && <Table.Td style={{ whiteSpace: 'nowrap' }}>{d.ownerName}</Table.Td>}
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <DueDate dueDate={d.dueDate} overdue={d.overdue} wrap={!wide} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {rows.length > 0 && <LoadMoreFooter shown={rows.length} total={total} list={list} />}
    </Paper>
  );
}
