import { Anchor, Badge, Box, Button, Grid, Group, Paper, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { DateTime, StatusBadge } from '../components/common';
import { DueDate } from '../components/RecordTable';
import type { Me, TransitionAbility } from '../endpoints';
import { linkProps } from '../router';
import { AttachmentsTab } from './AttachmentsTab';
import { AuditTrailTab } from './AuditTrailTab';
import { CommentsTab } from './CommentsTab';
import { DetailsSection } from './DetailsSection';
import { LinksTab } from './LinksTab';
import { SignaturesPanel } from './SignaturesPanel';
import { TransitionDialog } from './TransitionDialog';
import type { RecordDetail, RecordTypeConfig } from './types';
import { VersionsTab } from './VersionsTab';

export function Meta({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.3 }}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Box>
  );
}

export function ActionsPanel({ transitions, onStart }: { transitions: TransitionAbility[]; onStart: (t: TransitionAbility) => void }) {
  if (!transitions.length) {
    return (
      <Text size="sm" c="dimmed">
        No further workflow steps from this status.
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      {transitions.map((t) => {
        // Long step names wrap instead of running under the signature mark.
        const button = (
          <Button
            key={t.action}
            fullWidth
            variant={t.allowed ? (t.requiresSignature ? 'filled' : 'light') : 'default'}
            disabled={!t.allowed}
            onClick={() => onStart(t)}
            justify="space-between"
            rightSection={t.requiresSignature ? <Text size="xs" style={{ whiteSpace: 'nowrap' }}>✍ signature</Text> : undefined}
            data-action={t.action}
            styles={{ root: { height: 'auto', minHeight: 36, paddingBlock: 6 }, label: { whiteSpace: 'normal', textAlign: 'left', lineHeight: 1.3 } }}
          >
            {t.label}
          </Button>
        );
        return t.allowed ? (
          <div key={t.action}>{button}</div>
        ) : (
          <Tooltip key={t.action} label={t.deniedBecause ?? 'Not allowed for you now'} multiline w={260} withArrow>
            <div>
              {button}
              <Text size="xs" c="dimmed" mt={2}>
                {t.deniedBecause}
              </Text>
            </div>
          </Tooltip>
        );
      })}
    </Stack>
  );
}

/**
 * The kernel's record page: header, details (with edit), workflow actions from the abilities the
 * server sent, signatures, and the evidence tabs (audit trail, versions, links, comments, files).
 */
export function RecordPage<T extends RecordDetail>({
  record,
  config,
  me,
  onReload,
  backHref,
  main,
  aside,
}: {
  record: T;
  config: RecordTypeConfig<T>;
  me: Me;
  onReload: () => void;
  backHref: string;
  /** Record-type panels under the details (e.g. what an action needs before it can be completed). */
  main?: ReactNode;
  /** Record-type panels beside the workflow actions (e.g. linked CAPAs, due-date extensions). */
  aside?: ReactNode;
}) {
  const [transition, setTransition] = useState<TransitionAbility | null>(null);
  const { abilities } = record;
  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Anchor size="xs" {...linkProps(backHref)} c="dimmed">
          ← {config.noun}
        </Anchor>
        <Group justify="space-between" align="flex-start" mt={4} wrap="nowrap">
          <Box style={{ minWidth: 0 }}>
            <Group gap="sm" align="center">
              <Text fw={700} c="teal.8" ff="monospace" data-testid="record-number">
                {record.number}
              </Text>
              <span data-testid="record-status">
                <StatusBadge status={record.status} label={record.statusLabel} />
              </span>
            </Group>
            <Title order={2} mt={2} style={{ overflowWrap: 'anywhere' }} data-testid="record-title">
              {record.title}
            </Title>
          </Box>
          <Stack gap={6} align="flex-end" style={{ flexShrink: 0 }}>
            <Badge variant="outline" color="gray" size="lg" tt="none" title="Every change creates a new version">
              Version {record.version}
            </Badge>
            <Tooltip label="A signed copy of this record with every version, signature and audit entry (JSON), for inspection or archive" multiline w={260}>
              <Anchor href={`/api/v1/records/${encodeURIComponent(record.id)}/export`} download size="xs">
                Export signed copy
              </Anchor>
            </Tooltip>
            <Tooltip label="A printable copy with every field, the signature manifestations and the audit trail, marked uncontrolled when printed" multiline w={260}>
              <Anchor href={`/api/v1/records/${encodeURIComponent(record.id)}/export.pdf`} download size="xs">
                Print copy (PDF)
              </Anchor>
            </Tooltip>
          </Stack>
        </Group>
        <Group gap="xl" mt="sm" wrap="wrap">
          <Meta label="Site">{record.siteCode}</Meta>
          <Meta label="Owner">{record.ownerName}</Meta>
          <Meta label="Due">
            <DueDate dueDate={record.dueDate} overdue={record.overdue} />
          </Meta>
          <Meta label="Created">
            <DateTime iso={record.createdAt} />
          </Meta>
          <Meta label="Last change">
            <DateTime iso={record.updatedAt} />
          </Meta>
        </Group>
      </Paper>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <DetailsSection record={record} config={config} onReload={onReload} />
            {main}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <Paper component="section" withBorder p="md" radius="md" aria-label="Workflow actions">
              <Title order={4} mb="sm">
                Actions
              </Title>
              <ActionsPanel transitions={abilities.transitions} onStart={setTransition} />
            </Paper>
            {aside}
            <Paper withBorder p="md" radius="md">
              <Title order={4} mb="sm">
                Signatures
              </Title>
              <SignaturesPanel recordId={record.id} />
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>

      <Paper withBorder radius="md">
        <Tabs defaultValue="audit" keepMounted={false}>
          <Tabs.List px="sm" pt={4}>
            <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
            <Tabs.Tab value="versions">Versions</Tabs.Tab>
            <Tabs.Tab value="links">Links &amp; trace</Tabs.Tab>
            <Tabs.Tab value="comments">Comments</Tabs.Tab>
            <Tabs.Tab value="attachments">Attachments</Tabs.Tab>
          </Tabs.List>
          <Box p="md">
            <Tabs.Panel value="audit">
              <AuditTrailTab recordId={record.id} fields={config.fields} />
            </Tabs.Panel>
            <Tabs.Panel value="versions">
              <VersionsTab recordId={record.id} fields={config.fields} />
            </Tabs.Panel>
            <Tabs.Panel value="links">
              <LinksTab recordId={record.id} canLink={abilities.link} />
            </Tabs.Panel>
            <Tabs.Panel value="comments">
              <CommentsTab recordId={record.id} canComment={abilities.comment} />
            </Tabs.Panel>
            <Tabs.Panel value="attachments">
              <AttachmentsTab recordId={record.id} canAttach={abilities.attach} />
            </Tabs.Panel>
          </Box>
        </Tabs>
      </Paper>

      {transition && (
        <TransitionDialog record={record} transition={transition} config={config} me={me} onClose={() => setTransition(null)} onReload={onReload} />
      )}
    </Stack>
  );
}
