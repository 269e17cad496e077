import { Alert, List, Stack, Text, ThemeIcon } from '@mantine/core';
import type { Me, TransitionAbility } from '../endpoints';
import { type ExtraStepFields, TransitionDialog } from '../record/TransitionDialog';
import type { RecordTypeConfig } from '../record/types';
import type { ChangeDetail } from './endpoints';
import { areaInfo, changeAreas, riskBand } from './labels';

/** One thing a draft needs before approval, met or not. */
export interface ReadinessItem {
  label: string;
  met: boolean;
}

/**
 * What the server will ask of the draft before approval, as a checklist for the author. The server
 * stays the judge: it answers the submit with every item still missing.
 */
export function readiness(change: ChangeDetail): ReadinessItem[] {
  const { data } = change;
  const impacted = changeAreas.filter((area) => data.impacts[area]?.impacted);
  const items: ReadinessItem[] = [
    { label: 'Reason and scope described', met: Boolean(data.reason?.trim() && data.scope?.trim()) },
    { label: 'At least one impacted area', met: impacted.length > 0 },
  ];
  for (const area of impacted) {
    items.push({ label: `${areaInfo[area].label}: impact described`, met: Boolean(data.impacts[area]?.assessment?.trim()) });
    items.push({ label: `${areaInfo[area].label}: approver named`, met: Boolean(data.approvers[area]) });
  }
  items.push({ label: 'Risk rated (severity and probability)', met: Boolean(data.riskSeverity && data.riskProbability) });
  return items;
}

export function ReadinessList({ items }: { items: ReadinessItem[] }) {
  return (
    <List spacing={2} size="sm" center data-testid="readiness">
      {items.map((item) => (
        <List.Item
          key={item.label}
          icon={
            <ThemeIcon size={16} radius="xl" color={item.met ? 'teal' : 'gray'} variant={item.met ? 'filled' : 'light'} aria-label={item.met ? 'done' : 'missing'}>
              <Text size="10px" fw={700} lh={1}>
                {item.met ? '✓' : '·'}
              </Text>
            </ThemeIcon>
          }
        >
          <Text size="sm" c={item.met ? undefined : 'dimmed'}>
            {item.label}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

/** The server's answer lists what is missing by path (fields.impacts.…): shown in full, nothing stands next to an input. */
const noExtraInput = { names: [], validate: () => ({}), payload: () => ({}) };

/**
 * A workflow step of a change. Submitting signs the assessment as it is on the page (the generic field
 * inputs are left out: reason, scope and risk are edited on the page, not in the step); approving
 * says which areas the signature covers.
 */
export function ChangeStep(props: { record: ChangeDetail; transition: TransitionAbility; config: RecordTypeConfig<ChangeDetail>; me: Me; onClose: () => void; onReload: () => void }) {
  const { record: change, transition, me } = props;
  if (transition.action === 'submit_for_approval') {
    const items = readiness(change);
    const band = riskBand(change.riskScore);
    const extra: ExtraStepFields = {
      ...noExtraInput,
      render: () => (
        <Stack gap="xs">
          <Text size="sm">
            Your signature (authorship) covers the impact assessment as shown on the page: {changeAreas.filter((a) => change.data.impacts[a]?.impacted).length} impacted
            area(s), risk {change.riskScore === null ? 'not rated' : `${band.label.toLowerCase()} (${change.riskScore})`}. The named approvers are then asked to sign.
          </Text>
          {items.every((i) => i.met) ? (
            <Text size="sm" c="teal.8" data-testid="readiness">
              ✓ Everything the approval needs is in place ({items.length} items).
            </Text>
          ) : (
            <Alert color="orange" variant="light" p="xs" title="Still missing">
              <ReadinessList items={items.filter((i) => !i.met)} />
              <Text size="sm" mt={4}>
                The change cannot go for approval until these are complete.
              </Text>
            </Alert>
          )}
        </Stack>
      ),
    };
    return <TransitionDialog {...props} transition={{ ...transition, requiredFields: [], optionalFields: [] }} extra={extra} />;
  }
  if (transition.action === 'approve') {
    const mine = change.approvals.filter((a) => a.approverId === me.id).map((a) => areaInfo[a.area as keyof typeof areaInfo]?.label ?? a.area);
    const extra: ExtraStepFields = {
      ...noExtraInput,
      render: () => (
        <Text size="sm">
          You approve the change for: <strong>{mine.join(', ') || '—'}</strong>. Read the impact assessment and the change impact first; one signature covers all your
          areas.
        </Text>
      ),
    };
    return <TransitionDialog {...props} extra={extra} />;
  }
  return <TransitionDialog {...props} />;
}
