import { Badge, Stepper, Text } from '@mantine/core';
import { Meta, RecordCopies, RecordDates, RecordHeader } from '../record/RecordPage';
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
    <RecordHeader
      record={change}
      backHref="/changes"
      back="Change control"
      badges={
        change.data.changeType === 'temporary' && (
          <Badge color="grape" variant="light" tt="none">
            Temporary
          </Badge>
        )
      }
      side={<RecordCopies record={change} noun="change" />}
      meta={
        <>
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
          <RecordDates record={change} />
        </>
      }
    >
      <Progress change={change} />
    </RecordHeader>
  );
}
