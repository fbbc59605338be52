import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { Empty, Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import {
  enableReadyFlow,
  loadFlows,
  loadReadyFlows,
  type Flow,
  type ReadyFlow,
} from './flows-data.ts';
import { useFlowText } from './flow-text.ts';

export function StatusBadge({ status }: { status: Flow['status'] }) {
  return (
    <Badge
      color={status === 'active' ? 'teal.9' : 'gray.7'}
      variant={status === 'active' ? 'filled' : 'outline'}
      // Never cut to "WŁ…" in a narrow table column: the badge keeps its word's width.
      styles={{ label: { overflow: 'visible' } }}
    >
      <FormattedMessage id={`flows.status.${status}`} />
    </Badge>
  );
}

/** The shop's flows and the ready-made ones, each switched on with one click. */
export function FlowsPage() {
  const { membership } = useShop();
  const canEdit = useCan(MARKETING);
  const flows = useQuery({ queryKey: ['flows', membership.id], queryFn: loadFlows });
  const ready = useQuery({ queryKey: ['flows-ready', membership.id], queryFn: loadReadyFlows });

  let body;
  if (flows.isPending || ready.isPending) body = <Loading />;
  else if (flows.error) body = <Failure error={flows.error} onRetry={() => void flows.refetch()} />;
  else if (ready.error) body = <Failure error={ready.error} onRetry={() => void ready.refetch()} />;
  else
    body = (
      <>
        {!canEdit && (
          <Alert color="gray" variant="light">
            <FormattedMessage id="flows.readOnly" />
          </Alert>
        )}
        <FlowList flows={flows.data} />
        <Gallery ready={ready.data} flows={flows.data} canEdit={canEdit} />
      </>
    );

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        <FormattedMessage id="flows.title" />
      </Title>
      <Text size="sm">
        <FormattedMessage id="flows.intro" />
      </Text>
      {body}
    </Stack>
  );
}

function FlowList({ flows }: { flows: Flow[] }) {
  const text = useFlowText();
  return (
    <section aria-labelledby="flows-mine-title">
      <Title order={2} size="h4" id="flows-mine-title" mb="xs">
        <FormattedMessage id="flows.mine.title" />
      </Title>
      {flows.length === 0 ? (
        <Empty>
          <FormattedMessage id="flows.mine.none" />
        </Empty>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table striped data-testid="flow-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">
                  <FormattedMessage id="flows.col.name" />
                </Table.Th>
                {/* On a phone the name, state and version fit; the trigger is on the flow's page. */}
                <Table.Th scope="col" visibleFrom="sm">
                  <FormattedMessage id="flows.col.trigger" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="flows.col.status" />
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  <FormattedMessage id="flows.col.version" />
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {flows.map((flow) => (
                <Table.Tr key={flow.id} data-flow={flow.readyKey ?? flow.id}>
                  <Table.Th scope="row">
                    <Anchor
                      renderRoot={(props) => (
                        <Link to="/flows/$flowId" params={{ flowId: flow.id }} {...props} />
                      )}
                    >
                      {flow.name}
                    </Anchor>
                  </Table.Th>
                  <Table.Td visibleFrom="sm">{text.trigger(flow.definition.trigger)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={flow.status} />
                  </Table.Td>
                  <Table.Td ta="right">{flow.version}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}

function Gallery({
  ready,
  flows,
  canEdit,
}: {
  ready: ReadyFlow[];
  flows: Flow[];
  canEdit: boolean;
}) {
  const intl = useIntl();
  const { locale } = useLocale();
  const { membership } = useShop();
  const text = useFlowText();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const enable = useMutation({
    mutationFn: (key: string) => enableReadyFlow(key),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['flows', membership.id] });
    },
  });
  const byKey = new Map(flows.filter((f) => f.readyKey).map((f) => [f.readyKey!, f]));
  const enabledName = enable.variables
    ? ready.find((r) => r.key === enable.variables)?.name[locale]
    : undefined;
  return (
    <section aria-labelledby="flows-gallery-title">
      <Title order={2} size="h4" id="flows-gallery-title">
        <FormattedMessage id="flows.gallery.title" />
      </Title>
      <Text size="sm" mb="sm">
        <FormattedMessage id="flows.gallery.intro" />
      </Text>
      {enable.error instanceof ApiError && enable.error.status === 403 && <Forbidden />}
      {enable.error && !(enable.error instanceof ApiError && enable.error.status === 403) && (
        <Alert color="red" role="alert">
          {problemText(enable.error)}
        </Alert>
      )}
      {enable.isSuccess && enabledName && (
        <Alert color="green" role="status" mb="sm">
          <FormattedMessage id="flows.gallery.enabled" values={{ name: enabledName }} />
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} data-testid="flow-gallery">
        {ready.map((r) => {
          const mine = byKey.get(r.key);
          const name = r.name[locale];
          return (
            <Card key={r.key} withBorder radius="md" padding="md" data-ready={r.key}>
              <Stack gap="xs" h="100%">
                <Group justify="space-between" align="flex-start" wrap="nowrap">
                  <Title order={3} size="h5">
                    {name}
                  </Title>
                  {mine && (
                    <div style={{ flexShrink: 0 }}>
                      <StatusBadge status={mine.status} />
                    </div>
                  )}
                </Group>
                <Text size="sm">{r.description[locale]}</Text>
                <Text size="xs" c="dimmed">
                  <FormattedMessage
                    id="flows.gallery.steps"
                    values={{
                      count: r.definition.steps.length,
                      trigger: text.trigger(r.definition.trigger),
                    }}
                  />
                </Text>
                <Group mt="auto" gap="xs">
                  {canEdit && mine?.status !== 'active' && (
                    <Button
                      size="xs"
                      aria-label={intl.formatMessage(
                        {
                          id: mine ? 'flows.gallery.enableAgainNamed' : 'flows.gallery.enableNamed',
                        },
                        { name },
                      )}
                      loading={enable.isPending && enable.variables === r.key}
                      onClick={() => enable.mutate(r.key)}
                    >
                      <FormattedMessage
                        id={mine ? 'flows.gallery.enableAgain' : 'flows.gallery.enable'}
                      />
                    </Button>
                  )}
                  {mine && (
                    <Anchor
                      renderRoot={(props) => (
                        <Link to="/flows/$flowId" params={{ flowId: mine.id }} {...props} />
                      )}
                      size="sm"
                      aria-label={intl.formatMessage({ id: 'flows.gallery.openNamed' }, { name })}
                    >
                      <FormattedMessage id="flows.gallery.open" />
                    </Anchor>
                  )}
                </Group>
              </Stack>
            </Card>
          );
        })}
      </SimpleGrid>
    </section>
  );
}
