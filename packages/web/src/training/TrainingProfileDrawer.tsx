import { Alert, Anchor, Drawer, MultiSelect, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError, FormActions, FormProblem, Loading, QueryError } from '../components/common';
import type { Me } from '../endpoints';
import { notifySuccess } from '../notify';
import { hasPermission } from '../auth';
import { linkProps, withQuery } from '../router';
import { type JobFunction, type TrainingProfile, training } from './endpoints';
import { PersonPicker } from './pickers';

export interface ProfilePerson {
  id: string;
  fullName: string;
  username: string;
}

const departmentPattern = /^[A-Z][A-Z0-9]{1,9}$/;

function ProfileForm({
  person,
  profile,
  jobFunctions,
  me,
  onClose,
}: {
  person: ProfilePerson;
  profile: TrainingProfile;
  jobFunctions: JobFunction[];
  me: Me;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [department, setDepartment] = useState(profile.department ?? '');
  const [managerId, setManagerId] = useState<string | null>(profile.managerId);
  const [functionIds, setFunctionIds] = useState<string[]>(profile.jobFunctionIds);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const save = useMutation({
    mutationFn: () => training.setProfile(person.id, { reason: reason.trim(), department: department.trim() || null, managerId, jobFunctionIds: functionIds }),
    meta: { silent: true },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['training'] });
      void queryClient.invalidateQueries({ queryKey: ['job-functions'] });
      notifySuccess('Training profile saved', `${person.fullName}: training is assigned for the documents that now apply.`);
      onClose();
    },
  });
  const local: Record<string, string | undefined> = tried
    ? {
        reason: reason.trim() ? undefined : 'Give the reason: it is recorded in the audit trail',
        department: !department.trim() || departmentPattern.test(department.trim()) ? undefined : 'Two to ten capital letters or digits, starting with a letter (e.g. PRD)',
      }
    : {};
  const errorFor = (name: string) => local[name] ?? fieldError(save.error, name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (reason.trim() && (!department.trim() || departmentPattern.test(department.trim()))) save.mutate();
  };
  const chosen = jobFunctions.filter((f) => functionIds.includes(f.id));
  const curriculum = [...new Map(chosen.flatMap((f) => f.documents).map((d) => [d.id, d])).values()].sort((a, b) => a.number.localeCompare(b.number));
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput
          label="Department"
          description="Documents distributed to the department apply to the person"
          placeholder="e.g. PRD"
          value={department}
          onChange={(e) => setDepartment(e.currentTarget.value.toUpperCase())}
          error={errorFor('department')}
          maxLength={10}
        />
        <PersonPicker
          currentUser={me}
          label="Manager"
          description="Hears about the person's overdue training"
          value={managerId}
          valueLabel={managerId === profile.managerId ? profile.managerName : undefined}
          onChange={setManagerId}
          clearable
          error={errorFor('managerId')}
        />
        <MultiSelect
          label="Job functions"
          description="Each job function brings its curriculum"
          data={jobFunctions.map((f) => ({ value: f.id, label: `${f.name} (${f.code})` }))}
          value={functionIds}
          onChange={setFunctionIds}
          searchable
          clearable
          nothingFoundMessage="No such job function"
          error={errorFor('jobFunctionIds')}
        />
        <div>
          <Text size="sm" fw={500}>
            Curriculum of these job functions
          </Text>
          {curriculum.length === 0 ? (
            <Text size="sm" c="dimmed">
              No documents.
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              {curriculum.map((d) => d.number).join(', ')}
            </Text>
          )}
        </div>
        <Textarea
          label="Reason"
          description="Recorded in the audit trail"
          required
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={errorFor('reason')}
        />
        <FormProblem error={save.error} shownFields={['department', 'managerId', 'jobFunctionIds', 'reason']} ignoredFields={['id']} />
        <FormActions submitLabel="Save profile" loading={save.isPending} onCancel={onClose} />
      </Stack>
    </form>
  );
}

/**
 * A person's department, manager and job functions: what decides the documents they must be
 * trained on. Saving assigns the training that now applies.
 */
export function TrainingProfileDrawer({ person, me, onClose }: { person: ProfilePerson | null; me: Me; onClose: () => void }) {
  const profile = useQuery({ queryKey: ['training', 'profile', person?.id], queryFn: () => training.profile(person?.id ?? ''), enabled: Boolean(person) });
  const jobFunctions = useQuery({ queryKey: ['job-functions'], queryFn: training.jobFunctions, enabled: Boolean(person) });
  return (
    <Drawer opened={Boolean(person)} onClose={onClose} position="right" size="md" title={<Text fw={650}>{`Training profile: ${person?.fullName ?? ''}`}</Text>}>
      {person &&
        (profile.isPending || jobFunctions.isPending ? (
          <Loading />
        ) : profile.isError ? (
          <QueryError error={profile.error} what="the training profile" />
        ) : jobFunctions.isError ? (
          <QueryError error={jobFunctions.error} what="the job functions" />
        ) : (
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {person.fullName} ({person.username}).{' '}
              {hasPermission(me, 'training:read') && (
                <Anchor size="sm" {...linkProps(withQuery('/training/matrix', { q: person.fullName }))}>
                  See their training
                </Anchor>
              )}
            </Text>
            {jobFunctions.data.items.length === 0 && (
              <Alert color="blue" variant="light">
                No job functions yet.{' '}
                <Anchor size="sm" {...linkProps('/training/job-functions')}>
                  Create them first
                </Anchor>
                .
              </Alert>
            )}
            <ProfileForm key={person.id} person={person} profile={profile.data} jobFunctions={jobFunctions.data.items} me={me} onClose={onClose} />
          </Stack>
        ))}
    </Drawer>
  );
}
