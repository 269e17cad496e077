import { Anchor, Badge, Group, Paper, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { hasPermission } from '../auth';
import { ActionRequirements } from '../capa/ActionRequirements';
import { type ActionDetail, capaEndpoints } from '../capa/endpoints';
import { ExtensionsPanel } from '../capa/ExtensionsPanel';
import { actionFields, actionKindLabels } from '../capa/labels';
import { Loading, QueryError } from '../components/common';
import { type Me, recordHref } from '../endpoints';
import { RecordPage } from '../record/RecordPage';
import type { RecordTypeConfig } from '../record/types';
import { linkProps } from '../router';

const parentNouns: Record<string, string> = { capa: 'CAPA', change: 'Change control' };

/** One action of a CAPA (or task of a change): what, who, by when; completed by its owner with evidence and a signature. */
export function ActionPage({ id, me }: { id: string; me: Me }) {
  const action = useQuery({ queryKey: ['record', id], queryFn: () => capaEndpoints.getAction(id) });
  if (action.isPending) return <Loading label="Loading the action…" />;
  if (action.isError) return <QueryError error={action.error} what="this action" />;
  return <ActionView action={action.data} me={me} onReload={() => void action.refetch()} />;
}

function ActionView({ action, me, onReload }: { action: ActionDetail; me: Me; onReload: () => void }) {
  const { data } = action;
  const parentHref = recordHref(data.parentType, data.parentId);
  const config: RecordTypeConfig<ActionDetail> = {
    listKey: data.parentType === 'change' ? 'changes' : 'capas',
    noun: data.parentNumber,
    fields: actionFields,
    update: () => Promise.reject(new Error('An action is planned once; it is completed with evidence')),
    transition: capaEndpoints.transitionAction,
  };
  const final = action.status !== 'open';
  return (
    <RecordPage
      record={action}
      config={config}
      me={me}
      onReload={onReload}
      backHref={parentHref}
      main={<ActionRequirements action={action} />}
      aside={
        <>
          <Paper component="section" withBorder p="md" radius="md" aria-label="Part of">
            <Title order={4} mb="xs">
              Part of
            </Title>
            <Group gap="xs">
              <Anchor {...linkProps(parentHref)} fw={600} data-testid="action-parent" title={`The ${parentNouns[data.parentType] ?? data.parentType} this action belongs to`}>
                {data.parentNumber}
              </Anchor>
              <Badge variant="light" color={data.kind === 'preventive' ? 'indigo' : 'teal'} tt="none" radius="sm">
                {actionKindLabels[data.kind] ?? data.kind} action
              </Badge>
            </Group>
            {action.ownerId === me.id && action.status === 'open' && (
              <Text size="sm" mt="xs" c="teal.8" fw={500}>
                You own this action: complete it with the evidence of what was done.
              </Text>
            )}
          </Paper>
          <Paper component="section" withBorder p="md" radius="md" aria-label="Due date">
            <Title order={4} mb="sm">
              Due-date extensions
            </Title>
            <ExtensionsPanel record={action} canRequest={action.ownerId === me.id || hasPermission(me, 'capa:update')} me={me} closed={final} />
          </Paper>
        </>
      }
    />
  );
}
