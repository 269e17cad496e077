import { Anchor, Mark, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Empty, Loading, QueryError, StatusBadge } from '../components/common';
import { endpoints, recordHref } from '../endpoints';
import { linkProps } from '../router';

export function SearchPage({ q }: { q: string }) {
  const search = useQuery({ queryKey: ['search', q], queryFn: () => endpoints.search(q), enabled: q.trim().length > 0 });
  const hits = search.data?.items ?? [];
  return (
    <>
      <Title order={2} mb="md">
        Search {q && <Text span c="dimmed" fz="inherit">“{q}”</Text>}
      </Title>
      {!q ? (
        <Empty>Type in the search box at the top: a record number, words from the title or the text.</Empty>
      ) : search.isPending ? (
        <Loading label="Searching…" />
      ) : search.isError ? (
        <QueryError error={search.error} what="search results" />
      ) : hits.length === 0 ? (
        <Empty>No records found for “{q}”.</Empty>
      ) : (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {hits.length} record{hits.length === 1 ? '' : 's'} found
          </Text>
          {hits.map((hit) => (
            <Paper key={hit.id} withBorder p="sm" radius="md">
              <Anchor {...linkProps(recordHref(hit.type, hit.id))} fw={600}>
                {hit.number} · {hit.title}
              </Anchor>
              <Text size="xs" c="dimmed" mt={2} component="div">
                <StatusBadge status={hit.status} label={hit.statusLabel} /> &nbsp;{hit.siteCode} · {hit.ownerName}
              </Text>
              {hit.snippet && (
                <Text size="sm" mt={4} c="dark.4">
                  <Snippet text={hit.snippet} />
                </Text>
              )}
            </Paper>
          ))}
        </Stack>
      )}
    </>
  );
}

/** The server may mark matches with <b>…</b> (or <mark>): shown as highlights, never as HTML. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/(<(?:b|mark|em)>.*?<\/(?:b|mark|em)>)/g);
  return (
    <>
      {parts.map((part, i) => {
        const match = /^<(b|mark|em)>(.*)<\/\1>$/.exec(part);
        // biome-ignore lint/suspicious/noArrayIndexKey: positional fragments of one string
        return match ? <Mark key={i}>{match[2]}</Mark> : <span key={i}>{part.replace(/<[^>]*>/g, '')}</span>;
      })}
    </>
  );
}
