import { useState, type FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import { fieldProblem } from '../../ui/field-error.ts';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import {
  useCampaign,
  useDeleteCampaign,
  useDownloadCodes,
  useGenerateCodes,
  type Campaign,
} from './coupons-data.ts';
import { useWindowText } from './coupons-page.tsx';
import { useDiscountText } from './discount-text.ts';

/** One campaign: its terms, code generation, the codes as CSV, and deleting it. */
export function CampaignPage() {
  const { campaignId } = useParams({ from: '/signed-in/coupons/$campaignId' });
  const campaign = useCampaign(campaignId);
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/coupons" size="sm">
        <FormattedMessage id="coupons.back" />
      </Anchor>
      {campaign.isPending ? (
        <Loading />
      ) : campaign.error ? (
        <Failure error={campaign.error} onRetry={() => void campaign.refetch()} />
      ) : (
        <CampaignDetail campaign={campaign.data} />
      )}
    </Stack>
  );
}

function CampaignDetail({ campaign: c }: { campaign: Campaign }) {
  const intl = useIntl();
  const navigate = useNavigate();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const canWrite = useCan(MARKETING);
  const discount = useDiscountText();
  const window = useWindowText();
  const problemText = useProblemText();
  const remove = useDeleteCampaign();
  const download = useDownloadCodes(c.id, `${c.name.replace(/[^\w-]+/g, '-')}-codes.csv`);
  const [confirming, setConfirming] = useState(false);
  const none = intl.formatMessage({ id: 'coupons.none' });
  const yes = intl.formatMessage({ id: 'coupons.yes' });
  const no = intl.formatMessage({ id: 'coupons.no' });
  const ids = (list: string[]) => (list.length ? list.join(', ') : none);
  const terms: [string, string][] = [
    ['coupons.col.discount', discount(c.discount)],
    ['coupons.col.window', window(c)],
    ['coupons.f.minBasket', c.minBasket !== null ? fmt.money(c.minBasket) : none],
    [
      'coupons.f.usesPerCode',
      c.usesPerCode !== null
        ? intl.formatNumber(c.usesPerCode)
        : intl.formatMessage({ id: 'coupons.usesPerCodeDefault' }),
    ],
    [
      'coupons.f.usesPerCustomer',
      c.usesPerCustomer !== null
        ? intl.formatNumber(c.usesPerCustomer)
        : intl.formatMessage({ id: 'coupons.unlimited' }),
    ],
    [
      'coupons.f.budget',
      c.budget !== null
        ? intl.formatMessage(
            { id: 'coupons.budgetUsed' },
            { used: fmt.money(c.budgetUsed), budget: fmt.money(c.budget) },
          )
        : intl.formatMessage({ id: 'coupons.unlimited' }),
    ],
    ['coupons.f.productIds', ids(c.productIds)],
    ['coupons.f.categoryIds', ids(c.categoryIds)],
    ['coupons.f.excludeProductIds', ids(c.excludeProductIds)],
    ['coupons.f.excludeCategoryIds', ids(c.excludeCategoryIds)],
    ['coupons.f.segment', c.segmentId ?? none],
    ['coupons.f.minTier', c.minTier ?? none],
    ['coupons.f.firstOrderOnly', c.firstOrderOnly ? yes : no],
    ['coupons.f.stackable', c.stackable ? yes : no],
    ['coupons.f.returnUseOnCancel', c.returnUseOnCancel ? yes : no],
    ['coupons.col.codes', intl.formatNumber(c.codes)],
    ['coupons.col.uses', intl.formatNumber(c.uses)],
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={1} size="h2">
          {c.name}
        </Title>
        {canWrite && (
          <Group gap="xs">
            <Button
              variant="default"
              onClick={() => download.mutate()}
              loading={download.isPending}
              disabled={c.codes === 0}
            >
              <FormattedMessage id="coupons.downloadCsv" />
            </Button>
            <Button variant="default" c="red.9" onClick={() => setConfirming(true)}>
              <FormattedMessage id="coupons.delete" />
            </Button>
          </Group>
        )}
      </Group>
      {download.error &&
        (download.error instanceof ApiError && download.error.status === 403 ? (
          <Forbidden />
        ) : (
          <Alert color="red" role="alert">
            {problemText(download.error)}
          </Alert>
        ))}
      {remove.error &&
        (remove.error instanceof ApiError && remove.error.status === 403 ? (
          <Forbidden />
        ) : (
          <Alert color="red" role="alert">
            {problemText(remove.error)}
          </Alert>
        ))}
      <section aria-labelledby="terms-title">
        <Title order={2} size="h4" id="terms-title" mb="xs">
          <FormattedMessage id="coupons.terms" />
        </Title>
        <Table variant="vertical" layout="fixed" withTableBorder data-testid="campaign-terms">
          <Table.Tbody>
            {terms.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w={{ base: 140, sm: 260 }}>
                  <FormattedMessage id={label} />
                </Table.Th>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </section>
      {canWrite && <GenerateCodes campaignId={c.id} />}
      <Modal
        lockScroll={false}
        closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'coupons.close' }) }}
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={intl.formatMessage({ id: 'coupons.deleteTitle' })}
      >
        <Stack>
          <Text>
            <FormattedMessage id="coupons.deleteConfirm" values={{ name: c.name }} />
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              <FormattedMessage id="coupons.cancel" />
            </Button>
            <Button
              color="red.9"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(c.id, {
                  onSuccess: () => void navigate({ to: '/coupons' }),
                  onSettled: () => setConfirming(false),
                })
              }
            >
              <FormattedMessage id="coupons.deleteSubmit" />
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function GenerateCodes({ campaignId }: { campaignId: string }) {
  const intl = useIntl();
  const generate = useGenerateCodes(campaignId);
  const problemText = useProblemText();
  const [count, setCount] = useState<number | undefined>(100);
  const [prefix, setPrefix] = useState('');
  const [length, setLength] = useState<number | undefined>(13);
  const error = generate.error;
  const bad = (path: string, id: string) =>
    fieldProblem(error, path) ? intl.formatMessage({ id }) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    generate.mutate({ count, pattern: { prefix, length } });
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="generate-title">
      <Title order={2} size="h4" id="generate-title">
        <FormattedMessage id="coupons.generate" />
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        <FormattedMessage id="coupons.generateLead" />
      </Text>
      <form onSubmit={submit} noValidate data-testid="generate-codes">
        <Stack gap="sm">
          {error instanceof ApiError && error.status === 403 && <Forbidden />}
          {error &&
            !(error instanceof ApiError && (error.status === 403 || error.errors.length > 0)) && (
              <Alert color="red" role="alert">
                {problemText(error)}
              </Alert>
            )}
          {generate.isSuccess && (
            <Alert color="green" role="status">
              <FormattedMessage
                id="coupons.generated"
                values={{ count: generate.data.generated }}
              />
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label={intl.formatMessage({ id: 'coupons.g.count' })}
              required
              min={1}
              max={100_000}
              allowDecimal={false}
              allowNegative={false}
              value={count ?? ''}
              onChange={(v) => setCount(v === '' ? undefined : Number(v))}
              error={bad('count', 'coupons.e.generateCount')}
            />
            <TextInput
              label={intl.formatMessage({ id: 'coupons.g.prefix' })}
              description={intl.formatMessage({ id: 'coupons.g.prefixHint' })}
              value={prefix}
              onChange={(e) => setPrefix(e.currentTarget.value.toUpperCase())}
              error={bad('pattern.prefix', 'coupons.e.prefix')}
            />
            <NumberInput
              label={intl.formatMessage({ id: 'coupons.g.length' })}
              description={intl.formatMessage({ id: 'coupons.g.lengthHint' })}
              min={13}
              max={32}
              allowDecimal={false}
              allowNegative={false}
              value={length ?? ''}
              onChange={(v) => setLength(v === '' ? undefined : Number(v))}
              error={bad('pattern.length', 'coupons.e.length')}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={generate.isPending}>
              <FormattedMessage id="coupons.g.submit" />
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
