import type { ReactNode } from 'react';
import { Paper, Text } from '@mantine/core';

/** One figure of Home: its name, its value, and how it compares with the previous period. */
export function StatCard(props: {
  label: ReactNode;
  value: ReactNode;
  detail?: ReactNode;
  change?: number | null;
  formatChange?: (relative: number) => string;
  testId?: string;
}) {
  const { change, formatChange } = props;
  const color = change == null || change === 0 ? 'dimmed' : change > 0 ? 'teal.9' : 'red.9';
  return (
    <Paper withBorder p="md" radius="md" component="section" data-testid={props.testId}>
      <Text size="sm" c="dimmed" component="h3" fw={500} m={0}>
        {props.label}
      </Text>
      <Text size="xl" fw={700} mt={4}>
        {props.value}
      </Text>
      {props.detail && (
        <Text size="xs" c="dimmed">
          {props.detail}
        </Text>
      )}
      {formatChange && change !== undefined && (
        <Text size="xs" c={color} mt={4}>
          {change === null ? '—' : formatChange(change)}
        </Text>
      )}
    </Paper>
  );
}
