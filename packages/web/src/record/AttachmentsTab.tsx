import { Anchor, Button, FileButton, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DateTime, Empty, Loading, QueryError } from '../components/common';
import { endpoints } from '../endpoints';
import { formatBytes } from '../format';
import { notifySuccess } from '../notify';

/** Files attached to the record, stored by SHA-256 and never changed (ALCOA+ "original"). */
export function AttachmentsTab({ recordId, canAttach }: { recordId: string; canAttach: boolean }) {
  const queryClient = useQueryClient();
  const attachments = useQuery({ queryKey: ['record', recordId, 'attachments'], queryFn: () => endpoints.attachments(recordId) });
  const upload = useMutation({
    mutationFn: (file: File) => endpoints.upload(recordId, file),
    onSuccess: (a) => {
      notifySuccess('File attached', a.fileName);
      void queryClient.invalidateQueries({ queryKey: ['record', recordId] });
    },
  });
  return (
    <Stack gap="sm">
      {canAttach && (
        <Group>
          <FileButton onChange={(file) => file && upload.mutate(file)}>
            {(props) => (
              <Button {...props} variant="light" size="xs" loading={upload.isPending}>
                Attach a file…
              </Button>
            )}
          </FileButton>
          <Text size="xs" c="dimmed">
            The original file is kept unchanged; its SHA-256 fingerprint is recorded in the audit trail.
          </Text>
        </Group>
      )}
      {attachments.isPending ? (
        <Loading />
      ) : attachments.isError ? (
        <QueryError error={attachments.error} what="the attachments" />
      ) : attachments.data.items.length === 0 ? (
        <Empty>No attachments.</Empty>
      ) : (
        <Table fz="sm" verticalSpacing={6} aria-label="Attachments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>File</Table.Th>
              <Table.Th>Size</Table.Th>
              <Table.Th>SHA-256</Table.Th>
              <Table.Th>Uploaded by</Table.Th>
              <Table.Th>When</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {attachments.data.items.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Anchor href={endpoints.attachmentUrl(a.id)} download={a.fileName} size="sm">
                    {a.fileName}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {a.mediaType}
                  </Text>
                </Table.Td>
                <Table.Td>{formatBytes(a.size)}</Table.Td>
                <Table.Td>
                  <Tooltip label={a.sha256}>
                    <Text size="xs" ff="monospace">
                      {a.sha256.slice(0, 12)}…
                    </Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td>{a.uploadedByName}</Table.Td>
                <Table.Td>
                  <DateTime iso={a.uploadedAt} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
