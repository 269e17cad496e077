import { Anchor, Stepper, Text } from '@mantine/core';
import { recordHref } from '../endpoints';
import { Meta, RecordCopies, RecordDates, RecordHeader } from '../record/RecordPage';
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
    <RecordHeader
      record={capa}
      backHref="/capas"
      back="CAPA"
      badges={<PriorityBadge priority={priority} score={capa.riskScore} size="sm" />}
      side={<RecordCopies record={capa} noun="CAPA" />}
      meta={
        <>
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
          <RecordDates record={capa} />
        </>
      }
    >
      <Progress capa={capa} />
    </RecordHeader>
  );
}
