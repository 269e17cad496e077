import { Anchor, Badge, Box, Group, Paper, Stack, Stepper, Text, Title, Tooltip } from '@mantine/core';
import { DateTime, StatusBadge } from '../components/common';
import { DueDate } from '../components/RecordTable';
import { recordHref } from '../endpoints';
import { Meta } from '../record/RecordPage';
import { linkProps } from '../router';
import type { CapaDetail } from './endpoints';
import { capaSourceLabels, type Priority, priorityOf } from './labels';
import { PriorityBadge } from './RiskMatrix';

const steps = [
  { status: 'open', label: 'Open' },
  { status: 'investigation', label: 'Investigation' },
  { status: 'implementation', label: 'Actions' },
  { status: 'effectiveness_check', label: 'Effectiveness check' },
  { status: 'verified', label: 'Verified' },
  { status: 'closed', label: 'Closed' },
];

/** Where the CAPA stands on its path; a cancelled CAPA says so instead. */
function Progress({ capa }: { capa: CapaDetail }) {
  const index = steps.findIndex((s) => s.status === capa.status);
  if (index < 0) {
    return (
      <Text size="sm" c="dimmed" mt="sm">
        This CAPA was {capa.statusLabel.toLowerCase()}: it ends here and is kept for the record.
      </Text>
    );
  }
  return (
    <Stepper active={capa.status === 'closed' ? steps.length : index} size="xs" mt="md" iconSize={22} allowNextStepsSelect={false} aria-label="Progress of the CAPA" wrap={false}>
      {steps.map((s) => (
        <Stepper.Step key={s.status} label={s.label} />
      ))}
    </Stepper>
  );
}

/** The CAPA's identity, status, source, priority, owner and dates, like every record page's header. */
export function CapaHeader({ capa }: { capa: CapaDetail }) {
  const { data } = capa;
  const source = capaSourceLabels[data.sourceType] ?? data.sourceType;
  // Read from the scores by the server's rule: the stored priority is not refreshed when the scores come with a workflow step.
  const priority = priorityOf(data.riskSeverity, data.riskOccurrence) ?? (data.priority as Priority | null);
  return (
    <Paper withBorder p="md" radius="md">
      <Anchor size="xs" {...linkProps('/capas')} c="dimmed">
        ← CAPA
      </Anchor>
      <Group justify="space-between" align="flex-start" mt={4} wrap="nowrap">
        <Box style={{ minWidth: 0 }}>
          <Group gap="sm" align="center">
            <Text fw={700} c="teal.8" ff="monospace" data-testid="record-number">
              {capa.number}
            </Text>
            <span data-testid="record-status">
              <StatusBadge status={capa.status} label={capa.statusLabel} />
            </span>
            <PriorityBadge priority={priority} score={capa.riskScore} size="sm" />
          </Group>
          <Title order={2} mt={2} style={{ overflowWrap: 'anywhere' }} data-testid="record-title">
            {capa.title}
          </Title>
        </Box>
        <Stack gap={6} align="flex-end" style={{ flexShrink: 0 }}>
          <Badge variant="outline" color="gray" size="lg" tt="none" title="Every change creates a new version">
            Version {capa.version}
          </Badge>
          <Tooltip label="A signed copy of this CAPA with every version, signature and audit entry (JSON), for inspection or archive" multiline w={260}>
            <Anchor href={`/api/v1/records/${encodeURIComponent(capa.id)}/export`} download size="xs">
              Export signed copy
            </Anchor>
          </Tooltip>
          <Tooltip label="A printable copy with every field, the signature manifestations and the audit trail, marked uncontrolled when printed" multiline w={260}>
            <Anchor href={`/api/v1/records/${encodeURIComponent(capa.id)}/export.pdf`} download size="xs">
              Print copy (PDF)
            </Anchor>
          </Tooltip>
        </Stack>
      </Group>
      <Group gap="xl" mt="sm" wrap="wrap">
        <Meta label="Source">
          {data.sourceRecordId && data.sourceNumber ? (
            <Anchor size="sm" {...linkProps(recordHref(data.sourceType, data.sourceRecordId))} data-testid="capa-source">
              {source} {data.sourceNumber}
            </Anchor>
          ) : (
            source
          )}
        </Meta>
        <Meta label="Site">{capa.siteCode}</Meta>
        <Meta label="Owner">{capa.ownerName}</Meta>
        <Meta label="Due">
          <DueDate dueDate={capa.dueDate} overdue={capa.overdue} />
        </Meta>
        <Meta label="Created">
          <DateTime iso={capa.createdAt} />
        </Meta>
        <Meta label="Last change">
          <DateTime iso={capa.updatedAt} />
        </Meta>
      </Group>
      <Progress capa={capa} />
    </Paper>
  );
}
