import { Alert, Box, Button, Group, Paper, Select, SimpleGrid, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type MatrixStatus, matrixStatuses, roleLabels, roleNames } from '@verity/contracts';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { hasPermission } from '../auth';
import { Empty, Loading, QueryError } from '../components/common';
import { endpoints, type Me } from '../endpoints';
import { navigate, useLocation, withQuery } from '../router';
import { type MatrixDocument, type MatrixFilters, type MatrixSummary, training } from '../training/endpoints';
import { matrixStatusStyle } from '../training/labels';
import { MatrixGrid } from '../training/MatrixGrid';
import { DocumentPicker } from '../training/pickers';
import { type ProfilePerson, TrainingProfileDrawer } from '../training/TrainingProfileDrawer';

const PAGE_SIZE = 50;
const filterNames = ['site', 'role', 'department', 'jobFunctionId', 'documentId', 'q', 'status'] as const;

/** Counts by status for the filter; a click filters the people to that status. */
function Summary({ summary, status, onStatus }: { summary: MatrixSummary | undefined; status: string; onStatus: (status: string | undefined) => void }) {
  const cells = summary ? matrixStatuses.reduce((n, s) => n + summary[s], 0) : 0;
  return (
    <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="xs" mb="md" aria-label="Summary">
      <Paper withBorder radius="md" p="xs">
        <Text size="xs" c="dimmed">
          People
        </Text>
        <Text fw={700} fz="xl">
          {summary?.people ?? '…'}
        </Text>
        <Text size="xs" c="dimmed">
          {cells} required trainings
        </Text>
      </Paper>
      {matrixStatuses.map((s) => {
        const style = matrixStatusStyle[s];
        const count = summary?.[s];
        const active = status === s;
        return (
          <UnstyledButton
            key={s}
            onClick={() => onStatus(active ? undefined : s)}
            aria-pressed={active}
            title={active ? 'Show everyone again' : `Show only people with ${style.label.toLowerCase()} training`}
            data-testid={`summary-${s}`}
          >
            <Paper
              withBorder
              radius="md"
              p="xs"
              h="100%"
              style={{
                borderLeft: `4px solid var(--mantine-color-${style.color}-6)`,
                background: active ? `var(--mantine-color-${style.color}-0)` : undefined,
                outline: active ? `2px solid var(--mantine-color-${style.color}-6)` : undefined,
              }}
            >
              <Text size="xs" c="dimmed">
                {style.symbol} {style.label}
              </Text>
              <Text fw={700} fz="xl" c={`${style.color}.8`}>
                {count ?? '…'}
              </Text>
              <Text size="xs" c="dimmed">
                {count !== undefined && cells ? `${Math.round((count * 100) / cells)}%` : ' '}
              </Text>
            </Paper>
          </UnstyledButton>
        );
      })}
    </SimpleGrid>
  );
}

function Legend() {
  return (
    <Group gap="md" px="sm" py={6} style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }} aria-label="Legend">
      {matrixStatuses.map((s) => {
        const style = matrixStatusStyle[s];
        return (
          <Group key={s} gap={4} wrap="nowrap">
            <Box
              w={22}
              h={16}
              style={{
                borderRadius: 3,
                background: `var(--mantine-color-${style.color}-2)`,
                color: `var(--mantine-color-${style.color}-9)`,
                fontSize: 11,
                fontWeight: 700,
                textAlign: 'center',
                lineHeight: '16px',
              }}
            >
              {style.symbol}
            </Box>
            <Text size="xs">{style.label}</Text>
          </Group>
        );
      })}
      <Group gap={4} wrap="nowrap">
        <Box w={22} h={16} style={{ textAlign: 'center', color: 'var(--mantine-color-gray-5)', lineHeight: '16px' }}>
          ·
        </Box>
        <Text size="xs">Not required</Text>
      </Group>
      <Text size="xs" c="dimmed" ml="auto">
        Cells show the version trained on or due; hover for dates, click to open the training.
      </Text>
    </Group>
  );
}

export function TrainingMatrixPage({ me }: { me: Me }) {
  const location = useLocation();
  const params = location.search;
  const filters: MatrixFilters = Object.fromEntries(filterNames.map((n) => [n, params.get(n) ?? undefined]).filter(([, v]) => v));
  const [q, setQ] = useState(filters.q ?? '');
  const [department, setDepartment] = useState(filters.department ?? '');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [debouncedDepartment] = useDebouncedValue(department.trim().toUpperCase(), 400);
  const [profileOf, setProfileOf] = useState<ProfilePerson | null>(null);
  const canRead = hasPermission(me, 'training:read');
  const canEditProfiles = hasPermission(me, 'training:manage') || hasPermission(me, 'user:manage');

  const update = (changes: Partial<MatrixFilters>) => navigate(withQuery(location.pathname, { ...filters, ...changes }), { replace: true });
  // Typed filters drive the URL once the typing pauses; the URL is the source of truth for everything else.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    if (debouncedQ !== (filters.q ?? '') || debouncedDepartment !== (filters.department ?? ''))
      update({ q: debouncedQ || undefined, department: debouncedDepartment || undefined });
  }, [debouncedQ, debouncedDepartment]);

  const sites = useQuery({ queryKey: ['sites'], queryFn: endpoints.sites, staleTime: 300_000, enabled: canRead });
  const jobFunctions = useQuery({ queryKey: ['job-functions'], queryFn: training.jobFunctions, enabled: canRead });
  const summary = useQuery({ queryKey: ['training', 'matrix-summary', filters], queryFn: () => training.matrixSummary(filters), enabled: canRead });
  const matrix = useInfiniteQuery({
    queryKey: ['training', 'matrix', filters],
    queryFn: ({ pageParam }) => training.matrix({ ...filters, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: canRead,
  });

  if (!canRead) {
    return (
      <Alert color="orange" title="Not available">
        The training matrix is for people who may read everyone's training (training managers, QA, trainers, inspectors).
      </Alert>
    );
  }

  const pages = matrix.data?.pages ?? [];
  const people = pages.flatMap((p) => p.people);
  // Each page names the documents of its people: the grid shows their union.
  const documents = [...new Map<string, MatrixDocument>(pages.flatMap((p) => p.documents).map((d) => [d.id, d])).values()].sort((a, b) => a.number.localeCompare(b.number));
  const filtered = filterNames.some((n) => filters[n]);
  const chosenDocument = filters.documentId ? documents.find((d) => d.id === filters.documentId) : undefined;

  return (
    <>
      <Group justify="space-between" mb="md" align="flex-end">
        <div>
          <Title order={2}>Training matrix</Title>
          <Text size="sm" c="dimmed">
            Who is trained on the documents their job requires, and who is not.
          </Text>
        </div>
        <Group gap="xs">
          <Button variant="default" component="a" href={training.matrixDownloadUrl('csv', filters)} download data-testid="download-csv">
            Download CSV
          </Button>
          <Button variant="default" component="a" href={training.matrixDownloadUrl('xlsx', filters)} download data-testid="download-xlsx">
            Download Excel
          </Button>
        </Group>
      </Group>

      <Summary summary={summary.data} status={filters.status ?? ''} onStatus={(status) => update({ status })} />

      <Paper withBorder radius="md">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" verticalSpacing="xs" p="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          <TextInput label="Name" placeholder="Name or user name" value={q} onChange={(e) => setQ(e.currentTarget.value)} size="sm" />
          <Select
            label="Site"
            placeholder="Any site"
            data={(sites.data?.items ?? []).map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }))}
            value={filters.site ?? null}
            onChange={(v) => update({ site: v ?? undefined })}
            clearable
            size="sm"
          />
          <Select
            label="Role"
            placeholder="Any role"
            data={roleNames.map((r) => ({ value: r, label: roleLabels[r] }))}
            value={filters.role ?? null}
            onChange={(v) => update({ role: v ?? undefined })}
            clearable
            size="sm"
          />
          <TextInput label="Department" placeholder="e.g. PRD" value={department} onChange={(e) => setDepartment(e.currentTarget.value.toUpperCase())} size="sm" maxLength={10} />
          <Select
            label="Job function"
            placeholder="Any job function"
            data={(jobFunctions.data?.items ?? []).map((f) => ({ value: f.id, label: f.name }))}
            value={filters.jobFunctionId ?? null}
            onChange={(v) => update({ jobFunctionId: v ?? undefined })}
            clearable
            searchable
            size="sm"
          />
          <DocumentPicker
            label="Document"
            value={filters.documentId ?? null}
            valueLabel={chosenDocument ? `${chosenDocument.number} — ${chosenDocument.title}` : undefined}
            onChange={(v) => update({ documentId: v ?? undefined })}
            clearable
            size="sm"
          />
          <Select
            label="Status"
            placeholder="Any status"
            data={matrixStatuses.map((s) => ({ value: s, label: `${matrixStatusStyle[s].symbol} ${matrixStatusStyle[s].label}` }))}
            value={filters.status ?? null}
            onChange={(v) => update({ status: (v as MatrixStatus | null) ?? undefined })}
            clearable
            size="sm"
          />
          <Group align="flex-end">
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
        </SimpleGrid>
        <Legend />
        {matrix.isPending ? (
          <Loading />
        ) : matrix.isError ? (
          <QueryError error={matrix.error} what="the training matrix" />
        ) : people.length === 0 ? (
          <Empty>{filtered ? 'Nobody matches these filters.' : 'No people yet.'}</Empty>
        ) : documents.length === 0 ? (
          <Empty>None of these people needs training on a document yet: distribute documents to their job functions or departments.</Empty>
        ) : (
          <MatrixGrid documents={documents} people={people} onPerson={canEditProfiles ? (p) => setProfileOf(p) : undefined} />
        )}
        {people.length > 0 && (
          <Group justify="space-between" p="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
            <Text size="sm" c="dimmed" aria-live="polite">
              {people.length} {people.length === 1 ? 'person' : 'people'} × {documents.length} document{documents.length === 1 ? '' : 's'}
              {filters.status ? ` · people with at least one ${matrixStatusStyle[filters.status as MatrixStatus]?.label.toLowerCase() ?? filters.status} training` : ''}
            </Text>
            {matrix.hasNextPage && (
              <Button variant="default" size="xs" onClick={() => matrix.fetchNextPage()} loading={matrix.isFetchingNextPage}>
                Load more people
              </Button>
            )}
          </Group>
        )}
      </Paper>
      <TrainingProfileDrawer person={profileOf} me={me} onClose={() => setProfileOf(null)} />
    </>
  );
}
