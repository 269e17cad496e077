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
import type { FieldDef } from './fields';
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
            rightSection={
              t.requiresSignature ? (
                <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                  ✍ signature
                </Text>
              ) : undefined
            }
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

/** A titled panel of a record page; with a label it is a named region (`section`) for screen readers and tests. */
export function Panel({
  title,
  label,
  titleGap = 'sm',
  hiddenFrom,
  visibleFrom,
  children,
}: {
  title: ReactNode;
  label?: string;
  titleGap?: 'xs' | 'sm';
  hiddenFrom?: string;
  visibleFrom?: string;
  children: ReactNode;
}) {
  const region = label ? { component: 'section' as const, 'aria-label': label } : {};
  return (
    <Paper {...region} withBorder p="md" radius="md" hiddenFrom={hiddenFrom} visibleFrom={visibleFrom}>
      <Title order={4} mb={titleGap}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** The workflow buttons of a record, under an optional hint of what comes next. */
export function WorkflowPanel({
  transitions,
  onStart,
  title = 'Actions',
  children,
  ...panel
}: {
  transitions: TransitionAbility[];
  onStart: (t: TransitionAbility) => void;
  title?: string;
  titleGap?: 'xs' | 'sm';
  hiddenFrom?: string;
  visibleFrom?: string;
  children?: ReactNode;
}) {
  return (
    <Panel title={title} label="Workflow actions" {...panel}>
      {children}
      <ActionsPanel transitions={transitions} onStart={onStart} />
    </Panel>
  );
}

/** The link to the signed JSON copy of a record (every version, signature and audit entry). */
export function SignedCopyLink({ recordId, noun }: { recordId: string; noun: string }) {
  return (
    <Tooltip label={`A signed copy of this ${noun} with every version, signature and audit entry (JSON), for inspection or archive`} multiline w={260}>
      <Anchor href={`/api/v1/records/${encodeURIComponent(recordId)}/export`} download size="xs">
        Export signed copy
      </Anchor>
    </Tooltip>
  );
}

/** The record's version and the copies of it for inspection: signed JSON and printable PDF. */
export function RecordCopies({ record, noun }: { record: Pick<RecordDetail, 'id' | 'version'>; noun: string }) {
  return (
    <>
      <Badge variant="outline" color="gray" size="lg" tt="none" title="Every change creates a new version">
        Version {record.version}
      </Badge>
      <SignedCopyLink recordId={record.id} noun={noun} />
      <Tooltip label="A printable copy with every field, the signature manifestations and the audit trail, marked uncontrolled when printed" multiline w={260}>
        <Anchor href={`/api/v1/records/${encodeURIComponent(record.id)}/export.pdf`} download size="xs">
          Print copy (PDF)
        </Anchor>
      </Tooltip>
    </>
  );
}

/** The due date and the record's creation and last change, the last facts of most record headers. */
export function RecordDates({ record }: { record: Pick<RecordDetail, 'dueDate' | 'overdue' | 'createdAt' | 'updatedAt'> }) {
  return (
    <>
      <Meta label="Due">
        <DueDate dueDate={record.dueDate} overdue={record.overdue} />
      </Meta>
      <Meta label="Created">
        <DateTime iso={record.createdAt} />
      </Meta>
      <Meta label="Last change">
        <DateTime iso={record.updatedAt} />
      </Meta>
    </>
  );
}

/**
 * The header of a record page: the way back, number, status (with any `badges`), title, the `side`
 * column (version, copies), the `meta` facts, and `children` under them (e.g. a progress stepper).
 */
export function RecordHeader({
  record,
  backHref,
  back,
  badges,
  side,
  meta,
  children,
}: {
  record: Pick<RecordDetail, 'number' | 'status' | 'statusLabel' | 'title'>;
  backHref: string;
  back: ReactNode;
  badges?: ReactNode;
  side: ReactNode;
  meta: ReactNode;
  children?: ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md">
      <Anchor size="xs" {...linkProps(backHref)} c="dimmed">
        ← {back}
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
            {badges}
          </Group>
          <Title order={2} mt={2} style={{ overflowWrap: 'anywhere' }} data-testid="record-title">
            {record.title}
          </Title>
        </Box>
        <Stack gap={6} align="flex-end" style={{ flexShrink: 0 }}>
          {side}
        </Stack>
      </Group>
      <Group gap="xl" mt="sm" wrap="wrap">
        {meta}
      </Group>
      {children}
    </Paper>
  );
}

/** The body of a record page: the record's sections (`main`) and, beside them on wide screens, its panels (`aside`). */
export function RecordGrid({ main, aside }: { main: ReactNode; aside: ReactNode }) {
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 8 }}>{main}</Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <Stack gap="md">{aside}</Stack>
      </Grid.Col>
    </Grid>
  );
}

export interface EvidenceTab {
  value: string;
  label: string;
  panel: ReactNode;
}

/** The kernel's evidence tabs of a record, for pages that show only some of them or add their own. */
export function evidenceTabs(record: Pick<RecordDetail, 'id' | 'abilities'>, fields: FieldDef[]) {
  const { id, abilities } = record;
  return {
    audit: { value: 'audit', label: 'Audit trail', panel: <AuditTrailTab recordId={id} fields={fields} /> },
    versions: { value: 'versions', label: 'Versions', panel: <VersionsTab recordId={id} fields={fields} /> },
    links: { value: 'links', label: 'Links & trace', panel: <LinksTab recordId={id} canLink={abilities.link} /> },
    comments: { value: 'comments', label: 'Comments', panel: <CommentsTab recordId={id} canComment={abilities.comment} /> },
    attachments: { value: 'attachments', label: 'Attachments', panel: <AttachmentsTab recordId={id} canAttach={abilities.attach} /> },
  } satisfies Record<string, EvidenceTab>;
}

/** Tabs under a record page, opening on the first; a tab given as `false` is left out. */
export function EvidenceTabs({ tabs }: { tabs: (EvidenceTab | false)[] }) {
  const shown = tabs.filter((t): t is EvidenceTab => t !== false);
  return (
    <Paper withBorder radius="md">
      <Tabs defaultValue={shown[0]?.value} keepMounted={false}>
        <Tabs.List px="sm" pt={4}>
          {shown.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Box p="md">
          {shown.map((t) => (
            <Tabs.Panel key={t.value} value={t.value}>
              {t.panel}
            </Tabs.Panel>
          ))}
        </Box>
      </Tabs>
    </Paper>
  );
}

/** All the kernel's evidence tabs: audit trail, versions, links, comments, attachments. */
export function RecordTabs({ record, fields }: { record: Pick<RecordDetail, 'id' | 'abilities'>; fields: FieldDef[] }) {
  const t = evidenceTabs(record, fields);
  return <EvidenceTabs tabs={[t.audit, t.versions, t.links, t.comments, t.attachments]} />;
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
  return (
    <Stack gap="md">
      <RecordHeader
        record={record}
        backHref={backHref}
        back={config.noun}
        side={<RecordCopies record={record} noun="record" />}
        meta={
          <>
            <Meta label="Site">{record.siteCode}</Meta>
            <Meta label="Owner">{record.ownerName}</Meta>
            <RecordDates record={record} />
          </>
        }
      />

      <RecordGrid
        main={
          <Stack gap="md">
            <DetailsSection record={record} config={config} onReload={onReload} />
            {main}
          </Stack>
        }
        aside={
          <>
            <WorkflowPanel transitions={record.abilities.transitions} onStart={setTransition} />
            {aside}
            <Panel title="Signatures">
              <SignaturesPanel recordId={record.id} />
            </Panel>
          </>
        }
      />

      <RecordTabs record={record} fields={config.fields} />

      {transition && <TransitionDialog record={record} transition={transition} config={config} me={me} onClose={() => setTransition(null)} onReload={onReload} />}
    </Stack>
  );
}
