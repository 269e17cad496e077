import { Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { DateTime, Empty, fieldError, Loading, QueryError } from '../components/common';
import { endpoints } from '../endpoints';

export function CommentsTab({ recordId, canComment }: { recordId: string; canComment: boolean }) {
  const queryClient = useQueryClient();
  const comments = useQuery({ queryKey: ['record', recordId, 'comments'], queryFn: () => endpoints.comments(recordId) });
  const [body, setBody] = useState('');
  const add = useMutation({
    mutationFn: () => endpoints.addComment(recordId, body.trim()),
    onSuccess: () => {
      setBody('');
      void queryClient.invalidateQueries({ queryKey: ['record', recordId] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (body.trim()) add.mutate();
  };
  return (
    <Stack gap="sm">
      {comments.isPending ? (
        <Loading />
      ) : comments.isError ? (
        <QueryError error={comments.error} what="the comments" />
      ) : comments.data.items.length === 0 ? (
        <Empty>No comments yet.</Empty>
      ) : (
        comments.data.items.map((c) => (
          <Paper key={c.id} withBorder p="sm" radius="md">
            <Group gap="xs" mb={4}>
              <Text size="sm" fw={600}>
                {c.authorName}
              </Text>
              <Text size="xs" c="dimmed">
                <DateTime iso={c.createdAt} />
              </Text>
            </Group>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {c.body}
            </Text>
          </Paper>
        ))
      )}
      {canComment && (
        <form onSubmit={submit}>
          <Textarea label="Add a comment" autosize minRows={2} value={body} onChange={(e) => setBody(e.currentTarget.value)} error={fieldError(add.error, 'body')} />
          <Group justify="flex-end" mt="xs">
            <Button type="submit" size="xs" disabled={!body.trim()} loading={add.isPending}>
              Post comment
            </Button>
          </Group>
        </form>
      )}
    </Stack>
  );
}
