import { Anchor, Badge, Box, Button, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { linkTypes } from '@verity/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Empty, fieldError, FormProblem, Loading, QueryError } from '../components/common';
import { endpoints, recordHref, type Trace } from '../endpoints';
import { humanize } from '../format';
import { notifySuccess } from '../notify';
import { linkProps } from '../router';
import { recordTypeLabel, TraceGraph } from './TraceGraph';

function AddLink({ recordId }: { recordId: string }) {
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [targetId, setTargetId] = useState<string | null>(null);
  const [type, setType] = useState<string | null>('relates-to');
  const [reason, setReason] = useState('');
  const candidates = useQuery({ queryKey: ['search', debounced], queryFn: () => endpoints.search(debounced), enabled: debounced.length >= 2 });
  const options = (candidates.data?.items ?? []).filter((h) => h.id !== recordId).map((h) => ({ value: h.id, label: `${h.number} · ${h.title}` }));

  const add = useMutation({
    mutationFn: () => endpoints.createLink(recordId, { targetId: targetId ?? '', type: type ?? 'relates-to', reason: reason.trim() || undefined }),
    onSuccess: () => {
      notifySuccess('Link added');
      setTargetId(null);
      setSearch('');
      setReason('');
      void queryClient.invalidateQueries({ queryKey: ['record', recordId] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (targetId) add.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Text fw={600} size="sm" mb={4}>
        Link to another record
      </Text>
      <SimpleGrid cols={{ base: 1, md: 4 }} spacing="sm">
        <Select
          label="Record"
          placeholder="Type a number or words"
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          data={options}
          value={targetId}
          onChange={setTargetId}
          nothingFoundMessage={debounced.length >= 2 ? 'No matching record' : 'Type at least 2 characters'}
          filter={({ options: all }) => all}
          error={fieldError(add.error, 'targetId')}
        />
        <Select label="Link type" data={linkTypes.map((t) => ({ value: t, label: humanize(t) }))} value={type} onChange={setType} allowDeselect={false} error={fieldError(add.error, 'type')} />
        <TextInput label="Reason (optional)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(add.error, 'reason')} />
        <Box style={{ alignSelf: 'flex-end' }}>
          <Button type="submit" variant="light" disabled={!targetId} loading={add.isPending}>
            Add link
          </Button>
        </Box>
      </SimpleGrid>
      <Box mt="xs">
        <FormProblem error={add.error} shownFields={['targetId', 'type', 'reason']} />
      </Box>
    </form>
  );
}

/** The trace as an indented list: the fallback on small screens, and for those who prefer reading it. */
function TraceList({ trace, recordId }: { trace: Trace; recordId: string }) {
  const edgeTo = new Map(trace.edges.map((e) => [e.to, e.type]));
  return (
    <Stack gap={2} aria-label="Trace" data-testid="trace-list">
      {trace.nodes.map((node) => (
        <Group key={node.id} gap={6} pl={node.depth * 24} wrap="nowrap">
          <Text c="dimmed" size="sm">
            {node.depth > 0 ? '└' : '●'}
          </Text>
          {node.id === recordId ? (
            <Text size="sm" fw={650}>
              {node.number} · {node.title}
            </Text>
          ) : (
            <Anchor size="sm" {...linkProps(recordHref(node.type, node.id))}>
              {node.number} · {node.title}
            </Anchor>
          )}
          <Text size="xs" c="dimmed">
            {recordTypeLabel(node.type)} · {humanize(node.status)}
            {edgeTo.has(node.id) ? ` · ${edgeTo.get(node.id)}` : ''}
            {node.training ? ` · trained ${node.training.completed}/${node.training.required}` : ''}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

/** The trace around the record: a graph on screens wide enough for it, else (or on request) the list. */
function TraceView({ recordId }: { recordId: string }) {
  const wide = useMediaQuery('(min-width: 48em)', true, { getInitialValueInEffect: false });
  const [view, setView] = useState<'graph' | 'list' | null>(null);
  const trace = useQuery({ queryKey: ['record', recordId, 'trace'], queryFn: () => endpoints.trace(recordId) });
  const shown = view ?? (wide ? 'graph' : 'list');
  return (
    <div>
      <Group justify="space-between" mb={6}>
        <Title order={5}>Trace</Title>
        {wide && trace.isSuccess && trace.data.nodes.length > 1 && (
          <SegmentedControl
            size="xs"
            aria-label="Show the trace as"
            data={[
              { value: 'graph', label: 'Graph' },
              { value: 'list', label: 'List' },
            ]}
            value={shown}
            onChange={(v) => setView(v === 'list' ? 'list' : 'graph')}
          />
        )}
      </Group>
      {trace.isPending ? (
        <Loading />
      ) : trace.isError ? (
        <QueryError error={trace.error} what="the trace" />
      ) : trace.data.nodes.length <= 1 ? (
        <Empty>No linked records to trace.</Empty>
      ) : shown === 'graph' ? (
        <TraceGraph trace={trace.data} recordId={recordId} />
      ) : (
        <TraceList trace={trace.data} recordId={recordId} />
      )}
    </div>
  );
}

/** Typed links to other quality records, and the trace through them. */
export function LinksTab({ recordId, canLink }: { recordId: string; canLink: boolean }) {
  const links = useQuery({ queryKey: ['record', recordId, 'links'], queryFn: () => endpoints.links(recordId) });
  return (
    <Stack gap="md">
      {links.isPending ? (
        <Loading />
      ) : links.isError ? (
        <QueryError error={links.error} what="the links" />
      ) : links.data.items.length === 0 ? (
        <Empty>No links yet.</Empty>
      ) : (
        <Table fz="sm" verticalSpacing={6} aria-label="Links">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Relation</Table.Th>
              <Table.Th>Record</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Linked by</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {links.data.items.map((link) => (
              <Table.Tr key={link.id}>
                <Table.Td>
                  <Badge variant="light" color={link.direction === 'outgoing' ? 'blue' : 'grape'} style={{ textTransform: 'none' }}>
                    {link.direction === 'outgoing' ? `this ${link.type} →` : `← ${link.type} this`}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Anchor size="sm" {...linkProps(recordHref(link.other.type, link.other.id))}>
                    {link.other.number} · {link.other.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>{humanize(link.other.status)}</Table.Td>
                <Table.Td>{link.createdByName}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canLink && <AddLink recordId={recordId} />}
      <TraceView recordId={recordId} />
    </Stack>
  );
}
