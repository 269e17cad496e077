import { Anchor, Group, List, Text, ThemeIcon } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Loading, QueryError } from '../components/common';
import { endpoints, type Link, recordHref } from '../endpoints';
import { humanize } from '../format';
import { linkProps } from '../router';
import type { ActionDetail } from './endpoints';
import { Section } from './Section';

type Other = Link['other'];

function Requirement({ met, title, linked, missing }: { met: boolean; title: string; linked: Other[]; missing: string }) {
  return (
    <List.Item
      icon={
        <ThemeIcon size={20} radius="xl" color={met ? 'teal' : 'orange'} aria-label={met ? 'met' : 'not met yet'}>
          <Text size="xs" fw={700} c="white">
            {met ? '✓' : '!'}
          </Text>
        </ThemeIcon>
      }
    >
      <Text size="sm" fw={600}>
        {title}
      </Text>
      {linked.length ? (
        <Group gap="xs">
          {linked.map((r) => (
            <Text key={r.id} size="sm">
              <Anchor size="sm" {...linkProps(recordHref(r.type, r.id))}>
                {r.number}
              </Anchor>{' '}
              <Text span c="dimmed" size="sm">
                ({humanize(r.status)})
              </Text>
            </Text>
          ))}
        </Group>
      ) : (
        <Text size="sm" c="dimmed">
          {missing}
        </Text>
      )}
    </List.Item>
  );
}

/**
 * What an action needs before it can be completed, checked the way the server checks it: a linked
 * change control that is closed, a linked document revision (directly or through that change) that
 * is effective. Shown so the owner knows before signing, not after a refusal.
 */
export function ActionRequirements({ action }: { action: ActionDetail }) {
  const { data } = action;
  const links = useQuery({ queryKey: ['record', action.id, 'links'], queryFn: () => endpoints.links(action.id), enabled: data.requiresChange || data.requiresDocumentRevision });
  const changes = (links.data?.items ?? []).map((l) => l.other).filter((o) => o.type === 'change');
  const throughChanges = useQueries({
    queries: changes.map((c) => ({ queryKey: ['record', c.id, 'links'], queryFn: () => endpoints.links(c.id), enabled: data.requiresDocumentRevision })),
  });
  if (!data.requiresChange && !data.requiresDocumentRevision) return null;
  const revisions = [
    ...(links.data?.items ?? []).map((l) => l.other),
    ...throughChanges.flatMap((q) => (q.data?.items ?? []).map((l) => l.other)),
  ].filter((o, i, all) => o.type === 'document_revision' && all.findIndex((x) => x.id === o.id) === i);
  const changeMet = changes.some((c) => c.status === 'closed');
  const revisionMet = revisions.some((r) => ['effective', 'superseded'].includes(r.status));
  const open = action.status === 'open';
  return (
    <Section title="Before it can be completed" testId="action-requirements">
      {links.isPending ? (
        <Loading />
      ) : links.isError ? (
        <QueryError error={links.error} what="the linked records" />
      ) : (
        <>
          {open && (
            <Text size="sm" c="dimmed" mb="xs">
              Completing this action is refused until every item below is met. Link the records under “Links &amp; trace”.
            </Text>
          )}
          <List spacing="sm" center={false}>
            {data.requiresChange && (
              <Requirement met={changeMet} title="A linked change control is closed" linked={changes} missing="No change control is linked yet." />
            )}
            {data.requiresDocumentRevision && (
              <Requirement met={revisionMet} title="A linked document revision is effective" linked={revisions} missing="No document revision is linked yet (directly or through the change control)." />
            )}
          </List>
        </>
      )}
    </Section>
  );
}
