import type { ReactNode } from 'react';
import { Button, Group, Table, Text, Title, Tooltip } from '@mantine/core';
import { FormattedMessage } from 'react-intl';
import { downloadCsv, toCsv } from './csv-file.ts';

export interface Column<R> {
  key: string;
  label: string;
  /** The figure's period and definition, shown on hover and focus. */
  hint: string;
  /** The value as the CSV gives it (numbers for a spreadsheet). */
  value: (row: R) => string | number | null;
  /** The value as the table shows it. */
  show?: (row: R) => ReactNode;
  /** The first column names the row (a header cell). */
  rowHeader?: boolean;
}

/** A term whose definition shows on hover and on keyboard focus. */
export function Defined({ label, hint }: { label: ReactNode; hint: string }) {
  return (
    <Tooltip
      label={hint}
      multiline
      w={280}
      withArrow
      events={{ hover: true, focus: true, touch: true }}
    >
      <span className="defined-term" tabIndex={0} aria-description={hint}>
        {label}
      </span>
    </Tooltip>
  );
}

/**
 * A chart's figures as a table, with a CSV download of exactly these rows and columns. Every
 * column header carries its definition (hover or focus).
 */
export function FigureTable<R>({
  title,
  columns,
  rows,
  rowKey,
  csvName,
  testId,
  chart,
}: {
  title: string;
  /** The chart of these figures, drawn between the title and the table. */
  chart?: ReactNode;
  columns: Column<R>[];
  rows: R[];
  rowKey: (row: R) => string;
  csvName: string;
  testId: string;
}) {
  const download = () =>
    downloadCsv(
      csvName,
      toCsv(
        columns.map((c) => c.label),
        rows.map((r) => columns.map((c) => c.value(r))),
      ),
    );
  return (
    <div>
      <Group justify="space-between" align="center" mb="xs" gap="xs">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Button size="xs" variant="default" onClick={download} data-testid={`${testId}-csv`}>
          <FormattedMessage id="analytics.csv" />
        </Button>
      </Group>
      {chart}
      <Table.ScrollContainer minWidth={320}>
        <Table striped withTableBorder data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.key} scope="col">
                  <Defined label={c.label} hint={c.hint} />
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={rowKey(r)}>
                {columns.map((c) =>
                  c.rowHeader ? (
                    <Table.Th key={c.key} scope="row">
                      {c.show ? c.show(r) : c.value(r)}
                    </Table.Th>
                  ) : (
                    <Table.Td key={c.key} data-col={c.key}>
                      {c.show ? c.show(r) : c.value(r)}
                    </Table.Td>
                  ),
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length === 0 && (
        <Text c="dimmed" size="sm" mt="xs">
          <FormattedMessage id="analytics.noRows" />
        </Text>
      )}
    </div>
  );
}
