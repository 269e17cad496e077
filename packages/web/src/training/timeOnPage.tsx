import { Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatDuration } from './labels';

/**
 * Measures the time the page is visible (a hidden tab does not count), from mount. Returns a
 * stable getter of whole seconds, so that the page does not re-render every second.
 */
export function useTimeOnPage(): () => number {
  const spent = useRef(0);
  const visibleSince = useRef<number | null>(null);
  useEffect(() => {
    const update = () => {
      const now = performance.now();
      if (document.visibilityState === 'visible') {
        if (visibleSince.current === null) visibleSince.current = now;
      } else if (visibleSince.current !== null) {
        spent.current += now - visibleSince.current;
        visibleSince.current = null;
      }
    };
    update();
    document.addEventListener('visibilitychange', update);
    return () => {
      document.removeEventListener('visibilitychange', update);
      if (visibleSince.current !== null) spent.current += performance.now() - visibleSince.current;
      visibleSince.current = null;
    };
  }, []);
  return useCallback(() => {
    const running = visibleSince.current === null ? 0 : performance.now() - visibleSince.current;
    return Math.min(Math.round((spent.current + running) / 1000), 86_400);
  }, []);
}

/** "Time on this page: 4 min", refreshed by itself every few seconds. */
export function TimeOnPage({ seconds }: { seconds: () => number }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((t) => t + 1), 5000);
    return () => window.clearInterval(timer);
  }, []);
  return (
    <Text size="xs" c="dimmed" data-testid="time-on-page">
      Time on this page: {formatDuration(seconds())} (recorded with your signature)
    </Text>
  );
}
