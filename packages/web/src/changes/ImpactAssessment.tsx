import { Alert, Badge, Box, Button, Divider, Group, Paper, Select, SimpleGrid, Stack, Switch, Text, Textarea, Title } from '@mantine/core';
import type { ChangeArea } from '@verity/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../api';
import { Empty, fieldError, FormActions, FormProblem } from '../components/common';
import { personLabel, usePeople } from '../components/people';
import { formatLocal } from '../format';
import { notifySuccess } from '../notify';
import { type ChangeDetail, type ChangeEdit, changeEndpoints, type ImpactEntry } from './endpoints';
import { approverRoleLabel, areaInfo, changeAreas, holdsApproverRole } from './labels';
import { RiskInputs, RiskMatrix, RiskScore } from './RiskMatrix';

function impactOf(change: ChangeDetail, area: ChangeArea): ImpactEntry {
  return change.data.impacts[area] ?? { impacted: false, assessment: null };
}

/** One impacted area as read by an approver: the assessment, who approves it and whether they have. */
function AreaCard({ change, area }: { change: ChangeDetail; area: ChangeArea }) {
  const info = areaInfo[area];
  const approval = change.approvals.find((a) => a.area === area);
  const assessment = impactOf(change, area).assessment;
  const inApproval = change.status === 'in_approval';
  return (
    <Paper withBorder radius="sm" p="sm" data-testid={`impact-${area}`} style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
      <div>
        <Text fw={650} size="sm">
          {info.label}
        </Text>
        <Text size="xs" c="dimmed">
          {info.hint}
        </Text>
      </div>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', flex: 1 }} c={assessment ? undefined : 'red.7'}>
        {assessment || 'The impact is not described yet.'}
      </Text>
      <Group gap={6} justify="space-between" wrap="wrap" pt={6} style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
        {approval ? (
          <Text size="xs" c="dimmed">
            Approver:{' '}
            <Text span size="xs" c="dark" fw={600}>
              {approval.approverName}
            </Text>
          </Text>
        ) : (
          <Text size="xs" c="red.7">
            No approver named ({approverRoleLabel(info.role)})
          </Text>
        )}
        {approval?.approved ? (
          <Badge color="teal" variant="light" tt="none" size="sm">
            ✓ Approved {approval.approvedAt ? formatLocal(approval.approvedAt) : ''}
          </Badge>
        ) : approval && inApproval ? (
          <Badge color="yellow" variant="light" tt="none" size="sm">
            Approval pending
          </Badge>
        ) : null}
      </Group>
    </Paper>
  );
}

/** The impact assessment by area, the approver each impacted area needs, and the risk of the change. */
export function ImpactAssessment({ change, onReload }: { change: ChangeDetail; onReload: () => void }) {
  const [editing, setEditing] = useState(false);
  const canEdit = change.status === 'draft' && change.abilities.update;
  const impacted = changeAreas.filter((area) => impactOf(change, area).impacted);
  const notImpacted = changeAreas.filter((area) => !impactOf(change, area).impacted);
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-label="Impact assessment">
      <Group justify="space-between" wrap="nowrap">
        <Title order={4}>Impact assessment</Title>
        {canEdit && !editing && (
          <Button size="xs" variant={impacted.length ? 'default' : 'filled'} onClick={() => setEditing(true)} data-testid="edit-impact">
            {impacted.length ? 'Edit assessment' : 'Assess impact'}
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        Each impacted area is described and approved by a person holding the area’s role.
      </Text>
      {editing ? (
        <ImpactForm change={change} onDone={() => setEditing(false)} onReload={onReload} />
      ) : (
        <Stack gap="sm">
          {impacted.length === 0 ? (
            <Empty>Not assessed yet: mark the areas the change affects, describe the impact and name an approver for each.</Empty>
          ) : (
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
              {impacted.map((area) => (
                <AreaCard key={area} change={change} area={area} />
              ))}
            </SimpleGrid>
          )}
          {impacted.length > 0 && notImpacted.length > 0 && (
            <Text size="sm" c="dimmed">
              Not impacted: {notImpacted.map((a) => areaInfo[a].label).join(' · ')}
            </Text>
          )}
          <Divider />
          <Group align="flex-start" gap="xl" wrap="wrap">
            {change.riskScore !== null && <RiskMatrix severity={change.data.riskSeverity} probability={change.data.riskProbability} />}
            <Stack gap={6} style={{ flex: '1 1 260px' }}>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.3 }}>
                Risk of the change
              </Text>
              <RiskScore severity={change.data.riskSeverity} probability={change.data.riskProbability} />
              <Text size="xs" c="dimmed">
                Severity × probability, each 1–5: up to 4 low, 5–9 medium, 10 and above high.
              </Text>
            </Stack>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}

type Draft = Record<ChangeArea, { impacted: boolean; assessment: string; approverId: string | null }>;

function draftOf(change: ChangeDetail): Draft {
  return Object.fromEntries(
    changeAreas.map((area) => {
      const impact = impactOf(change, area);
      return [area, { impacted: impact.impacted, assessment: impact.assessment ?? '', approverId: change.data.approvers[area] ?? null }];
    }),
  ) as Draft;
}

function ImpactForm({ change, onDone, onReload }: { change: ChangeDetail; onDone: () => void; onReload: () => void }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(change));
  const [risk, setRisk] = useState({ severity: change.data.riskSeverity, probability: change.data.riskProbability });
  const [reason, setReason] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const people = usePeople({
    site: change.siteCode,
    permission: 'change:approve',
    exclude: [change.ownerId],
    known: change.approvals.map((a) => ({ value: a.approverId, label: a.approverName })),
  });
  const setArea = (area: ChangeArea, value: Partial<Draft[ChangeArea]>) => setDraft((d) => ({ ...d, [area]: { ...d[area], ...value } }));

  const body = (): Omit<ChangeEdit, 'version' | 'reason'> => {
    const impacts = Object.fromEntries(changeAreas.map((area) => [area, { impacted: draft[area].impacted, assessment: draft[area].impacted ? draft[area].assessment.trim() || null : null }]));
    const approvers = Object.fromEntries(changeAreas.filter((area) => draft[area].impacted && draft[area].approverId).map((area) => [area, draft[area].approverId as string]));
    return { impacts, approvers, ...(risk.severity ? { riskSeverity: risk.severity } : {}), ...(risk.probability ? { riskProbability: risk.probability } : {}) };
  };
  const original = JSON.stringify({
    impacts: Object.fromEntries(changeAreas.map((area) => [area, { impacted: impactOf(change, area).impacted, assessment: impactOf(change, area).impacted ? impactOf(change, area).assessment || null : null }])),
    approvers: Object.fromEntries(changeAreas.filter((area) => impactOf(change, area).impacted && change.data.approvers[area]).map((area) => [area, change.data.approvers[area]])),
    ...(change.data.riskSeverity ? { riskSeverity: change.data.riskSeverity } : {}),
    ...(change.data.riskProbability ? { riskProbability: change.data.riskProbability } : {}),
  });
  const dirty = JSON.stringify(body()) !== original;

  const save = useMutation({
    mutationFn: () => changeEndpoints.update(change.id, { version: change.version, reason: reason.trim(), ...body() }),
    onSuccess: (updated) => {
      queryClient.setQueryData(['record', change.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['record', change.id] });
      void queryClient.invalidateQueries({ queryKey: ['changes'] });
      notifySuccess('Impact assessment saved', `${updated.number} is now at version ${updated.version}.`);
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!dirty) return setLocalError('Nothing was changed.');
    if (!reason.trim()) return setLocalError('Give the reason for this change: it is recorded in the audit trail.');
    setLocalError(null);
    save.mutate();
  };
  const err = (name: string) => fieldError(save.error, name);
  const conflict = isApiError(save.error) && save.error.code === 'VERSION_CONFLICT';

  return (
    <form onSubmit={submit} noValidate aria-label="Impact assessment by area">
      <Stack gap="xs">
        {changeAreas.map((area) => {
          const info = areaInfo[area];
          const row = draft[area];
          const candidates = people.people.filter((p) => holdsApproverRole(p.roles, info.role, change.siteCode)).map((p) => ({ value: p.id, label: personLabel(p) }));
          const current = row.approverId && !candidates.some((c) => c.value === row.approverId) ? people.options.find((o) => o.value === row.approverId) : undefined;
          return (
            <Paper
              key={area}
              withBorder
              radius="sm"
              p="sm"
              bg={row.impacted ? undefined : 'gray.0'}
              style={row.impacted ? { borderLeft: '3px solid var(--mantine-color-teal-6)' } : undefined}
              data-testid={`impact-row-${area}`}
            >
              <Switch
                label={<Text size="sm" fw={600}>{info.label}</Text>}
                description={info.hint}
                checked={row.impacted}
                onChange={(e) => setArea(area, { impacted: e.currentTarget.checked })}
                aria-label={`${info.label} impacted`}
              />
              {row.impacted && (
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="xs">
                  <Textarea
                    label={`Impact on ${info.label.toLowerCase()}`}
                    required
                    autosize
                    minRows={2}
                    maxRows={8}
                    value={row.assessment}
                    onChange={(e) => setArea(area, { assessment: e.currentTarget.value })}
                    error={err(`impacts.${area}`)}
                  />
                  <Select
                    label="Approver"
                    description={`${approverRoleLabel(info.role)} at ${change.siteCode}`}
                    required
                    searchable
                    clearable
                    placeholder={people.isPending ? 'Loading people…' : candidates.length ? 'Choose the approver' : 'Nobody holds this role here'}
                    data={current ? [current, ...candidates] : candidates}
                    value={row.approverId}
                    onChange={(v) => setArea(area, { approverId: v })}
                    nothingFoundMessage="No matching person"
                    error={err(`approvers.${area}`)}
                    inputWrapperOrder={['label', 'description', 'input', 'error']}
                  />
                </SimpleGrid>
              )}
            </Paper>
          );
        })}
        <Paper withBorder radius="sm" p="sm">
          <Text size="sm" fw={600} mb={4}>
            Risk of the change
          </Text>
          <Group align="flex-end" gap="lg" wrap="wrap">
            <Box style={{ flex: '1 1 320px' }}>
              <RiskInputs severity={risk.severity} probability={risk.probability} onChange={setRisk} errorFor={err} />
            </Box>
            <RiskScore severity={risk.severity} probability={risk.probability} />
          </Group>
        </Paper>
        <Textarea
          label="Reason for this edit"
          description="Recorded in the audit trail with the old and new values"
          required
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={localError ?? (isApiError(save.error) ? save.error.problem.errors?.find((e) => e.path === 'reason')?.message : undefined)}
        />
        {conflict ? (
          <Alert color="orange" title="Someone else changed this record — reload" role="alert">
            <Text size="sm">Your input is kept. Reload to get the latest version, check it, then save again.</Text>
            <Button size="xs" mt="xs" variant="white" color="orange" onClick={() => { save.reset(); onReload(); }}>
              Reload record (keep my input)
            </Button>
          </Alert>
        ) : (
          <FormProblem error={save.error} shownFields={['impacts', 'approvers', 'riskSeverity', 'riskProbability', 'reason']} />
        )}
        <FormActions submitLabel="Save assessment" loading={save.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}
