import { Badge, type BadgeProps } from '@mantine/core';
import type { MatrixStatus } from '@verity/contracts';
import { humanize } from '../format';

/** Badges in tables show their whole text rather than an ellipsis. */
export const fullBadge = { root: { maxWidth: 'none', flexShrink: 0, overflow: 'visible' }, label: { overflow: 'visible' } } as const;

export const methodLabels: Record<string, string> = {
  read: 'Read and sign',
  quiz: 'Read, pass the quiz and sign',
  instructor_led: 'Instructor-led session',
};

export const methodShortLabels: Record<string, string> = { read: 'Read', quiz: 'Quiz', instructor_led: 'Instructor-led' };

export const reasonLabels: Record<string, string> = {
  revision: 'New revision',
  new_requirement: 'Newly required for you',
  retake: 'Retake after a failed quiz',
};

export const methodLabel = (method: string | null | undefined) => (method ? (methodLabels[method] ?? humanize(method)) : '—');
export const methodShortLabel = (method: string | null | undefined) => (method ? (methodShortLabels[method] ?? humanize(method)) : '—');
export const reasonLabel = (reason: string) => reasonLabels[reason] ?? humanize(reason);

/** Colour, word and symbol of each matrix status; the symbol keeps the grid readable without colour. */
export const matrixStatusStyle: Record<MatrixStatus, { label: string; color: string; symbol: string; meaning: string }> = {
  current: { label: 'Current', color: 'green', symbol: '✓', meaning: 'trained on the revision that counts' },
  due: { label: 'Due', color: 'blue', symbol: '○', meaning: 'assigned, not yet due' },
  overdue: { label: 'Overdue', color: 'red', symbol: '!', meaning: 'past the due date, or the training expired' },
  missing: { label: 'Missing', color: 'gray', symbol: '–', meaning: 'required but not assigned (no approved revision yet)' },
  failed: { label: 'Failed', color: 'orange', symbol: '✕', meaning: 'quiz attempts used up: a training manager must re-assign' },
};

export function MatrixStatusBadge({ status, ...props }: { status: MatrixStatus } & BadgeProps) {
  const style = matrixStatusStyle[status];
  return (
    <Badge color={style.color} variant="light" tt="none" styles={fullBadge} {...props}>
      {style.symbol} {style.label}
    </Badge>
  );
}

/** "4 min", "1 h 05 min": time spent as the page measured it. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const DAY = 86_400_000;

/** "due in 3 days", "overdue by 2 days", "due today". */
export function dueDistance(dueAt: string, now = Date.now()): string {
  const days = Math.round((Date.parse(dueAt) - now) / DAY);
  if (days === 0) return Date.parse(dueAt) < now ? 'overdue since today' : 'due today';
  if (days > 0) return `due in ${days} day${days === 1 ? '' : 's'}`;
  return `overdue by ${-days} day${days === -1 ? '' : 's'}`;
}

/** The state of one assignment of the trainee: open (due or overdue), failed, completed. */
export function AssignmentStatusBadge({ status, overdue }: { status: string; overdue: boolean }) {
  if (status === 'completed') {
    return (
      <Badge color="green" variant="light" tt="none" styles={fullBadge}>
        ✓ Completed
      </Badge>
    );
  }
  if (status === 'failed') {
    return (
      <Badge color="orange" variant="filled" tt="none" styles={fullBadge}>
        ✕ Failed
      </Badge>
    );
  }
  if (status === 'superseded') {
    return (
      <Badge color="gray" variant="light" tt="none" styles={fullBadge}>
        Superseded
      </Badge>
    );
  }
  return overdue ? (
    <Badge color="red" variant="filled" tt="none" styles={fullBadge}>
      ! Overdue
    </Badge>
  ) : (
    <Badge color="blue" variant="light" tt="none" styles={fullBadge}>
      ○ Due
    </Badge>
  );
}
