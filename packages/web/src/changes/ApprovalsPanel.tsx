import { Badge, Box, Group, Progress, Stack, Text } from '@mantine/core';
import { Empty } from '../components/common';
import { formatLocal } from '../format';
import type { ChangeDetail } from './endpoints';
import { approverRoleLabel, areaInfo } from './labels';

/** Each impacted area's approver and whether they have signed in this round. */
export function ApprovalsPanel({ change, meId }: { change: ChangeDetail; meId: string }) {
  const { approvals } = change;
  if (!approvals.length) return <Empty>No approvers named yet: they follow from the impacted areas.</Empty>;
  const approved = approvals.filter((a) => a.approved).length;
  const asked = change.status !== 'draft';
  return (
    <Stack gap="xs" data-testid="approvals">
      {asked && (
        <div>
          <Text size="sm" mb={4}>
            {approved} of {approvals.length} approved
          </Text>
          <Progress value={(approved / approvals.length) * 100} color={approved === approvals.length ? 'teal' : 'yellow'} aria-label="Share of approvals given" />
        </div>
      )}
      {approvals.map((a) => (
        <Group key={a.area} justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
          <Box style={{ minWidth: 0 }}>
            <Text size="sm" fw={500}>
              {a.approverName}
              {a.approverId === meId ? ' (you)' : ''}
            </Text>
            <Text size="xs" c="dimmed">
              {areaInfo[a.area as keyof typeof areaInfo]?.label ?? a.area} · {approverRoleLabel(a.requiredRole)}
            </Text>
          </Box>
          {a.approved ? (
            <Box ta="right" style={{ flexShrink: 0 }}>
              <Badge color="teal" variant="light" tt="none">
                ✓ Signed
              </Badge>
              {a.approvedAt && (
                <Text size="xs" c="dimmed">
                  {formatLocal(a.approvedAt)}
                </Text>
              )}
            </Box>
          ) : (
            <Badge color={change.status === 'in_approval' ? 'yellow' : 'gray'} variant="light" tt="none" style={{ flexShrink: 0 }}>
              {change.status === 'in_approval' ? 'Pending' : asked ? 'Not signed' : 'After submission'}
            </Badge>
          )}
        </Group>
      ))}
    </Stack>
  );
}
