import { Alert, Button, Code, Stack, Text } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/** Never a blank page: a rendering failure shows what happened and a way back. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('[verity] the page failed to render', error, info.componentStack);
  }

  override componentDidUpdate(previous: { resetKey?: string }): void {
    if (this.state.error && previous.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <Alert color="red" title="This page could not be shown" m="md" role="alert">
        <Stack gap="sm">
          <Text size="sm">
            Something went wrong while showing this page. No data was changed by this error. Reload the page, or go back to your tasks.
          </Text>
          <Code block>{this.state.error.message}</Code>
          <div>
            <Button size="xs" variant="light" onClick={() => window.location.reload()} mr="xs">
              Reload
            </Button>
            <Button size="xs" variant="subtle" component="a" href="/">
              My tasks
            </Button>
          </div>
        </Stack>
      </Alert>
    );
  }
}
