import { Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { loadSegments } from './segments-data.ts';
import { segmentText } from './segment-text.ts';

/** Every segment, built in and the shop's own, with its live count. */
export function SegmentsPage() {
  const intl = useIntl();
  const { membership, shop } = useShop();
  const format = useShopFormat(shop);
  const canEdit = useCan(MARKETING);
  const segments = useQuery({
    // Its own key under 'segments': other pages keep other shapes of the same list.
    queryKey: ['segments', membership.id, 'with-counts'],
    queryFn: loadSegments,
  });
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>
          <FormattedMessage id="segments.title" />
        </Title>
        {canEdit && (
          <Button component={Link} to="/segments/create">
            <FormattedMessage id="segments.new" />
          </Button>
        )}
      </Group>
      <Text c="dimmed" maw={720}>
        <FormattedMessage id="segments.intro" />
      </Text>
      {segments.isPending ? (
        <Loading />
      ) : segments.error ? (
        <Failure error={segments.error} onRetry={() => void segments.refetch()} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={360}>
            <Table striped data-testid="segments-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>
                    <FormattedMessage id="segments.col.name" />
                  </Table.Th>
                  <Table.Th visibleFrom="sm">
                    <FormattedMessage id="segments.col.kind" />
                  </Table.Th>
                  <Table.Th ta="right">
                    <FormattedMessage id="segments.col.customers" />
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {segments.data.data
                  .map((s) => ({ ...s, ...segmentText(intl, s, format.money) }))
                  .map((s) => (
                    <Table.Tr key={s.id} data-testid={`segment-row-${s.id}`}>
                      <Table.Td>
                        <Anchor
                          fw={600}
                          renderRoot={(props) => (
                            <Link
                              to="/segments/$segmentId"
                              params={{ segmentId: s.id }}
                              {...props}
                            />
                          )}
                        >
                          {s.name}
                        </Anchor>
                        {s.description && (
                          <Text size="xs" c="dimmed">
                            {s.description}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td visibleFrom="sm">
                        <Badge variant="light" color={s.builtIn ? 'gray' : 'teal'}>
                          {intl.formatMessage({
                            id: s.builtIn ? 'segments.builtIn' : 'segments.own',
                          })}
                        </Badge>
                      </Table.Td>
                      <Table.Td ta="right" data-testid={`segment-count-${s.id}`}>
                        {format.number(s.customers)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {segments.data.data.every((s) => s.builtIn) && (
            <Empty>
              <FormattedMessage id="segments.none" />
            </Empty>
          )}
        </>
      )}
    </Stack>
  );
}
