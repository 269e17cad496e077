import { Alert, Anchor, Badge, Button, Group, Modal, Paper, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { hasPermission } from '../auth';
import { Empty, fieldError, FormActions, FormProblem, Loading, QueryError } from '../components/common';
import type { Me } from '../endpoints';
import { notifySuccess } from '../notify';
import { linkProps, withQuery } from '../router';
import { training } from '../training/endpoints';
import { fullBadge } from '../training/labels';

const codePattern = /^[A-Z][A-Z0-9_-]{1,29}$/;

function CreateJobFunctionModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [tried, setTried] = useState(false);
  const create = useMutation({
    mutationFn: () => training.createJobFunction({ code: code.trim(), name: name.trim() }),
    meta: { silent: true },
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ['job-functions'] });
      notifySuccess('Job function created', `${created.name} (${created.code}). Distribute documents to it to build its curriculum.`);
      onClose();
    },
  });
  const local: Record<string, string | undefined> = tried
    ? {
        code: codePattern.test(code.trim()) ? undefined : 'Two to thirty capital letters, digits, dash or underscore, starting with a letter',
        name: name.trim() ? undefined : 'Give the name people know the job by',
      }
    : {};
  const errorFor = (field: string) => local[field] ?? fieldError(create.error, field);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (codePattern.test(code.trim()) && name.trim()) create.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>New job function</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label="Code"
            description="Short and stable, e.g. FILL-OP"
            required
            value={code}
            onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
            error={errorFor('code')}
            maxLength={30}
          />
          <TextInput
            label="Name"
            description="e.g. Filling operator"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errorFor('name')}
            maxLength={200}
          />
          <FormProblem error={create.error} shownFields={['code', 'name']} />
          <FormActions submitLabel="Create job function" loading={create.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * Job functions and their curricula: a curriculum is the set of documents distributed to the
 * job function; people get their training from the job functions in their training profile.
 */
export function JobFunctionsPage({ me }: { me: Me }) {
  const jobFunctions = useQuery({ queryKey: ['job-functions'], queryFn: training.jobFunctions });
  const [creating, setCreating] = useState(false);
  const canCreate = hasPermission(me, 'training:manage') || hasPermission(me, 'document:manage');
  const canSeeMatrix = hasPermission(me, 'training:read');
  return (
    <>
      <Group justify="space-between" mb="md" align="flex-end">
        <div>
          <Title order={2}>Job functions</Title>
          <Text size="sm" c="dimmed">
            The curriculum of a job function is the documents distributed to it. People take job functions from their training profile.
          </Text>
        </div>
        {canCreate && <Button onClick={() => setCreating(true)}>New job function</Button>}
      </Group>
      {(hasPermission(me, 'training:manage') || hasPermission(me, 'user:manage')) && (
        <Alert color="gray" variant="light" mb="md">
          To give a person job functions, open their training profile: from the name in the{' '}
          <Anchor size="sm" {...linkProps('/training/matrix')}>
            training matrix
          </Anchor>
          {hasPermission(me, 'user:manage') && (
            <>
              {' '}
              or the{' '}
              <Anchor size="sm" {...linkProps('/admin/users')}>
                Users
              </Anchor>{' '}
              page
            </>
          )}
          .
        </Alert>
      )}
      <Paper withBorder radius="md">
        {jobFunctions.isPending ? (
          <Loading />
        ) : jobFunctions.isError ? (
          <QueryError error={jobFunctions.error} what="the job functions" />
        ) : jobFunctions.data.items.length === 0 ? (
          <Empty>No job functions yet.{canCreate ? ' Create the first one: e.g. “Filling operator”.' : ''}</Empty>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped verticalSpacing={8} fz="sm" aria-label="Job functions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Job function</Table.Th>
                  <Table.Th>Code</Table.Th>
                  <Table.Th ta="right">People</Table.Th>
                  <Table.Th>Curriculum</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {jobFunctions.data.items.map((f) => (
                  <Table.Tr key={f.id}>
                    <Table.Td fw={600} style={{ whiteSpace: 'nowrap' }}>
                      {f.name}
                    </Table.Td>
                    <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                      {f.code}
                    </Table.Td>
                    <Table.Td ta="right">
                      {canSeeMatrix && f.people > 0 ? (
                        <Anchor size="sm" {...linkProps(withQuery('/training/matrix', { jobFunctionId: f.id }))} title="Their training in the matrix">
                          {f.people}
                        </Anchor>
                      ) : (
                        f.people
                      )}
                    </Table.Td>
                    <Table.Td>
                      {f.documents.length === 0 ? (
                        <Text size="sm" c="dimmed">
                          No documents distributed yet
                        </Text>
                      ) : (
                        <Group gap={4}>
                          {f.documents.map((d) => (
                            <Tooltip key={d.id} label={d.title} openDelay={300}>
                              <Badge component="a" {...linkProps(`/documents/${d.id}`)} variant="light" color="gray" tt="none" styles={fullBadge} style={{ cursor: 'pointer' }}>
                                {d.number}
                              </Badge>
                            </Tooltip>
                          ))}
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {creating && <CreateJobFunctionModal onClose={() => setCreating(false)} />}
    </>
  );
}
