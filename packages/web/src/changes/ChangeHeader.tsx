import { Anchor, Badge, Box, Group, Paper, Stack, Stepper, Text, Title, Tooltip } from '@mantine/core';
import { DateTime, StatusBadge } from '../components/common';
import { DueDate } from '../components/RecordTable';
import { Meta } from '../record/RecordPage';
import { linkProps } from '../router';
import type { ChangeDetail } from './endpoints';
import { changeSteps, changeTypeLabels, riskBand } from './labels';

/** Where the change stands on its main path; a rejected or cancelled change says so instead. */
function Progress({ change }: { change: ChangeDetail }) {
  const index = changeSteps.findIndex((s) => s.status === change.status);
  if (index < 0) {
    return (
      <Text size="sm" c="dimmed" mt="sm">
        This change was {change.statusLabel.toLowerCase()}: it ends here and is kept for the record.
      </Text>
    );
  }
  const done = change.status === 'closed';
  return (
    <Stepper active={done ? changeSteps.length : index} size="xs" mt="md" iconSize={22} allowNextStepsSelect={false} aria-label="Progress of the change" wrap={false}>
      {changeSteps.map((s) => (
        <Stepper.Step key={s.status} label={s.label} />
      ))}
    </Stepper>
  );
}

/** The change's identity, status, owner and dates, like every record page's header. */
export function ChangeHeader({ change }: { change: ChangeDetail }) {
  const band = riskBand(change.riskScore);
  return (
    <Paper withBorder p="md" radius="md">
      <Anchor size="xs" {...linkProps('/changes')} c="dimmed">
        ← Change control
      </Anchor>
      <Group justify="space-between" align="flex-start" mt={4} wrap="nowrap">
        <Box style={{ minWidth: 0 }}>
          <Group gap="sm" align="center">
            <Text fw={700} c="teal.8" ff="monospace" data-testid="record-number">
              {change.number}
            </Text>
            <span data-testid="record-status">
              <StatusBadge status={change.status} label={change.statusLabel} />
            </span>
            {change.data.changeType === 'temporary' && (
              <Badge color="grape" variant="light" tt="none">
                Temporary
              </Badge>
            )}
          </Group>
          <Title order={2} mt={2} style={{ overflowWrap: 'anywhere' }} data-testid="record-title">
            {change.title}
          </Title>
        </Box>
        <Stack gap={6} align="flex-end" style={{ flexShrink: 0 }}>
          <Badge variant="outline" color="gray" size="lg" tt="none" title="Every change creates a new version">
            Version {change.version}
          </Badge>
          <Tooltip label="A signed copy of this change with every version, signature and audit entry (JSON), for inspection or archive" multiline w={260}>
            <Anchor href={`/api/v1/records/${encodeURIComponent(change.id)}/export`} download size="xs">
              Export signed copy
            </Anchor>
          </Tooltip>
          <Tooltip label="A printable copy with every field, the signature manifestations and the audit trail, marked uncontrolled when printed" multiline w={260}>
            <Anchor href={`/api/v1/records/${encodeURIComponent(change.id)}/export.pdf`} download size="xs">
              Print copy (PDF)
            </Anchor>
          </Tooltip>
        </Stack>
      </Group>
      <Group gap="xl" mt="sm" wrap="wrap">
        <Meta label="Site">{change.siteCode}</Meta>
        <Meta label="Owner">{change.ownerName}</Meta>
        <Meta label="Type">{changeTypeLabels[change.data.changeType] ?? change.data.changeType}</Meta>
        <Meta label="Risk">
          {change.riskScore === null ? (
            <Text span size="sm" c="dimmed">
              Not rated
            </Text>
          ) : (
            <Badge color={band.color} variant="light" tt="none" data-testid="risk-score">
              {band.label} · {change.riskScore}
            </Badge>
          )}
        </Meta>
        <Meta label="Due">
          <DueDate dueDate={change.dueDate} overdue={change.overdue} />
        </Meta>
        <Meta label="Created">
          <DateTime iso={change.createdAt} />
        </Meta>
        <Meta label="Last change">
          <DateTime iso={change.updatedAt} />
        </Meta>
      </Group>
      <Progress change={change} />
    </Paper>
  );
}
