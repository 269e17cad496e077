import { notifications } from '@mantine/notifications';
import { isApiError } from './api';

/** Show a failed call to the user: the problem's title and detail, never a silent failure. */
export function notifyError(error: unknown, fallbackTitle = 'The action failed'): void {
  if (isApiError(error)) {
    const { title, detail, errors } = error.problem;
    const fieldLines = errors?.length ? errors.map((e) => `${e.path || 'request'}: ${e.message}`).join('\n') : '';
    notifications.show({
      color: 'red',
      title,
      message: [detail, fieldLines].filter(Boolean).join('\n') || 'Please try again.',
      autoClose: 8000,
      style: { whiteSpace: 'pre-line' },
    });
    return;
  }
  notifications.show({ color: 'red', title: fallbackTitle, message: error instanceof Error ? error.message : String(error), autoClose: 8000 });
}

export function notifySuccess(title: string, message?: string): void {
  notifications.show({ color: 'teal', title, message: message ?? '', autoClose: 4000 });
}
