import { Badge, Button, Group, Modal, MultiSelect, Stack, TagsInput, Text, Textarea } from '@mantine/core';
import { departmentCode, type RoleName, roleLabels, roleNames } from '@verity/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../api';
import { Empty, fieldError, FormActions, FormProblem } from '../components/common';
import { PeopleMultiSelect } from '../components/people';
import { notifySuccess } from '../notify';
import { type DocumentDetail, documentEndpoints } from './endpoints';

function Chips({ label, values }: { label: string; values: string[] }) {
  if (!values.length) return null;
  return (
    <div>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={2} style={{ letterSpacing: 0.3 }}>
        {label}
      </Text>
      <Group gap={4}>
        {values.map((v) => (
          <Badge key={v} variant="light" color="gray" tt="none" radius="sm">
            {v}
          </Badge>
        ))}
      </Group>
    </div>
  );
}

/** Who must read the document (and so is trained on each revision): roles, job functions, departments, named people. */
export function DistributionPanel({ document }: { document: DocumentDetail }) {
  const [editing, setEditing] = useState(false);
  const { distribution } = document.data;
  const roles = distribution.roles ?? [];
  const empty = !roles.length && !distribution.jobFunctionIds.length && !distribution.departments.length && !distribution.userIds.length;
  return (
    <Stack gap="sm" data-testid="distribution">
      {empty ? (
        <Empty>Nobody yet: set who must read this document, and training is assigned to them.</Empty>
      ) : (
        <>
          <Chips label="Roles" values={roles.map((r) => roleLabels[r as RoleName] ?? r)} />
          <Chips label="Job functions" values={document.distributionLabels.jobFunctions.map((f) => f.name)} />
          <Chips label="Departments" values={distribution.departments} />
          <Chips label="People" values={document.distributionLabels.users.map((u) => u.fullName)} />
        </>
      )}
      {document.abilities.distribute && (
        <Button variant="default" size="xs" onClick={() => setEditing(true)} style={{ alignSelf: 'flex-start' }}>
          Change distribution…
        </Button>
      )}
      {editing && <DistributionModal document={document} onClose={() => setEditing(false)} />}
    </Stack>
  );
}

function DistributionModal({ document, onClose }: { document: DocumentDetail; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { distribution } = document.data;
  const [roles, setRoles] = useState<string[]>(distribution.roles ?? []);
  const [jobFunctionIds, setJobFunctionIds] = useState(distribution.jobFunctionIds);
  const [departments, setDepartments] = useState(distribution.departments);
  const [userIds, setUserIds] = useState(distribution.userIds);
  const [reason, setReason] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const functions = useQuery({ queryKey: ['documents', 'job-functions'], queryFn: documentEndpoints.jobFunctions, staleTime: 60_000 });
  const functionOptions = (functions.data?.items ?? []).map((f) => ({ value: f.id, label: `${f.name} (${f.code})` }));
  for (const f of document.distributionLabels.jobFunctions) if (!functionOptions.some((o) => o.value === f.id)) functionOptions.push({ value: f.id, label: f.name });

  const save = useMutation({
    mutationFn: () => documentEndpoints.setDistribution(document.id, { version: document.version, reason: reason.trim(), roles, jobFunctionIds, departments, userIds }),
    onSuccess: (updated) => {
      queryClient.setQueryData(['record', document.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['record', document.id] });
      void queryClient.invalidateQueries({ queryKey: ['documents'] });
      notifySuccess('Distribution saved', 'Training is assigned to the people it newly applies to.');
      onClose();
    },
    onError: (error) => {
      if (isApiError(error) && error.code === 'VERSION_CONFLICT') void queryClient.invalidateQueries({ queryKey: ['record', document.id] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const bad = departments.filter((d) => !departmentCode.safeParse(d).success);
    if (bad.length) errors.departments = `Not a department code: ${bad.join(', ')} (two to ten capital letters or digits)`;
    if (!reason.trim()) errors.reason = 'Give the reason: it is recorded in the audit trail';
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) save.mutate();
  };
  const err = (name: string) => localErrors[name] ?? fieldError(save.error, name);
  const conflict = isApiError(save.error) && save.error.code === 'VERSION_CONFLICT';

  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>Distribution of {document.number}</Text>} size="lg" closeOnClickOutside={false}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Everyone selected here must read the document. People it newly applies to get training on the current revision at once; later revisions are
            assigned when they are approved.
          </Text>
          <MultiSelect
            label="Roles"
            description="Everyone who holds one of these roles"
            placeholder={roles.length ? undefined : 'Choose roles'}
            data={roleNames.filter((r) => r !== 'sysadmin').map((r) => ({ value: r, label: roleLabels[r] }))}
            value={roles}
            onChange={setRoles}
            error={err('roles')}
          />
          <MultiSelect
            label="Job functions"
            placeholder={jobFunctionIds.length ? undefined : functions.isPending ? 'Loading…' : functionOptions.length ? 'Choose job functions' : 'No job functions defined yet'}
            searchable
            data={functionOptions}
            value={jobFunctionIds}
            onChange={setJobFunctionIds}
            error={err('jobFunctionIds')}
          />
          <TagsInput
            label="Departments"
            description="Department codes, e.g. QA, PRD; press Enter after each"
            value={departments}
            onChange={(values) => setDepartments(values.map((v) => v.trim().toUpperCase()))}
            error={err('departments')}
          />
          <PeopleMultiSelect
            label="Named people"
            description={`People who may read documents at ${document.siteCode}`}
            site={document.siteCode}
            permission="document:read"
            known={document.distributionLabels.users.map((u) => ({ value: u.id, label: u.fullName }))}
            placeholder={userIds.length ? undefined : 'Choose people'}
            value={userIds}
            onChange={setUserIds}
            error={err('userIds')}
          />
          <Textarea label="Reason for the change" required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={err('reason')} />
          {conflict ? (
            <Text size="sm" c="orange.8" role="alert">
              The document was changed by someone else while you edited. Close this dialog to see the latest distribution, then change it again.
            </Text>
          ) : (
            <FormProblem error={save.error} shownFields={['roles', 'jobFunctionIds', 'departments', 'userIds', 'reason']} />
          )}
          <FormActions submitLabel="Save distribution" loading={save.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
