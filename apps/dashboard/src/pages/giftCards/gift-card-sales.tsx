import { useState, type FormEvent } from 'react';
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { useLocale } from '../../i18n/locale.tsx';
import { fieldProblem } from '../../ui/field-error.ts';
import { currencyDigits, MoneyInput } from '../../ui/money-input.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import {
  useDeleteGiftCardProduct,
  useGiftCardProducts,
  useGiftCardReport,
  useSaveGiftCardProduct,
  type GiftCardProduct,
} from './gift-card-sales-data.ts';

function useMoney() {
  const { locale } = useLocale();
  const tag = locale === 'pl' ? 'pl-PL' : 'en-GB';
  return (minor: number, currency: string) =>
    new Intl.NumberFormat(tag, { style: 'currency', currency }).format(
      minor / 10 ** currencyDigits(currency),
    );
}

/** The platform products sold as gift cards: the list, and a form to add or change one. */
export function GiftCardProducts({ canWrite }: { canWrite: boolean }) {
  const products = useGiftCardProducts();
  const remove = useDeleteGiftCardProduct();
  const money = useMoney();
  const { shop } = useShop();
  const currency = shop?.currency ?? 'PLN';
  const [editing, setEditing] = useState<GiftCardProduct | null>(null);
  const intl = useIntl();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="gc-products-title">
      <Title order={2} size="h4" id="gc-products-title">
        <FormattedMessage id="giftCardSales.products" />
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        <FormattedMessage id="giftCardSales.productsLead" />
      </Text>
      {products.isPending ? (
        <Loading />
      ) : products.error ? (
        <Failure error={products.error} onRetry={() => void products.refetch()} />
      ) : products.data.length === 0 ? (
        <Empty>
          <FormattedMessage id="giftCardSales.noProducts" />
        </Empty>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table striped data-testid="gift-card-products">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">
                  <FormattedMessage id="giftCardSales.col.product" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="giftCardSales.col.value" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="giftCardSales.col.valid" />
                </Table.Th>
                {canWrite && (
                  <Table.Th scope="col">
                    <FormattedMessage id="giftCards.col.actions" />
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {products.data.map((p) => (
                <Table.Tr key={p.productId}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {p.name ?? p.productId}
                    </Text>
                    {p.name && (
                      <Text size="xs" c="dimmed">
                        {p.productId}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {p.amounts === 'any' ? (
                      <Text size="sm">
                        <FormattedMessage id="giftCardSales.any" />
                      </Text>
                    ) : (
                      Object.entries(p.variantAmounts).map(([variant, amount]) => (
                        <Text size="sm" key={variant} style={{ whiteSpace: 'nowrap' }}>
                          {variant}: {money(amount, currency)}
                        </Text>
                      ))
                    )}
                  </Table.Td>
                  <Table.Td>
                    {p.validMonths ? (
                      <FormattedMessage
                        id="giftCardSales.months"
                        values={{ count: p.validMonths }}
                      />
                    ) : (
                      <FormattedMessage id="giftCards.never" />
                    )}
                  </Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant="default" onClick={() => setEditing(p)}>
                          <FormattedMessage id="giftCardSales.edit" />
                        </Button>
                        <ActionIcon
                          variant="default"
                          aria-label={intl.formatMessage(
                            { id: 'giftCardSales.remove' },
                            { product: p.name ?? p.productId },
                          )}
                          loading={remove.isPending && remove.variables === p.productId}
                          onClick={() => remove.mutate(p.productId)}
                        >
                          ×
                        </ActionIcon>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {canWrite && (
        <ProductForm
          key={editing?.productId ?? 'new'}
          editing={editing}
          currency={currency}
          onDone={() => setEditing(null)}
        />
      )}
    </Paper>
  );
}

function ProductForm({
  editing,
  currency,
  onDone,
}: {
  editing: GiftCardProduct | null;
  currency: string;
  onDone: () => void;
}) {
  const intl = useIntl();
  const problemText = useProblemText();
  const save = useSaveGiftCardProduct();
  const [productId, setProductId] = useState(editing?.productId ?? '');
  const [amounts, setAmounts] = useState<'any' | 'fixed'>(editing?.amounts ?? 'any');
  const [rows, setRows] = useState<Array<{ variant: string; amount: number | undefined }>>(
    editing && editing.amounts === 'fixed'
      ? Object.entries(editing.variantAmounts).map(([variant, amount]) => ({ variant, amount }))
      : [{ variant: '', amount: undefined }],
  );
  const [months, setMonths] = useState<number | ''>(editing?.validMonths ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const variantAmounts = Object.fromEntries(
      rows
        .filter((r) => r.variant.trim() && r.amount !== undefined)
        .map((r) => [r.variant.trim(), r.amount!]),
    );
    save.mutate(
      {
        productId: productId.trim(),
        amounts,
        ...(amounts === 'fixed' && { variantAmounts }),
        validMonths: months === '' ? null : months,
      },
      { onSuccess: onDone },
    );
  };
  const bad = (path: string) =>
    fieldProblem(save.error, path) ? problemText(save.error) : undefined;
  return (
    <form onSubmit={submit} noValidate data-testid="gift-card-product-form">
      <Stack gap="sm" mt="md">
        <Title order={3} size="h5">
          <FormattedMessage id={editing ? 'giftCardSales.change' : 'giftCardSales.add'} />
        </Title>
        {save.error && !fieldProblem(save.error, 'variantAmounts') ? (
          <Alert color="red" role="alert">
            {problemText(save.error)}
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={intl.formatMessage({ id: 'giftCardSales.f.product' })}
            description={intl.formatMessage({ id: 'giftCardSales.f.productHelp' })}
            required
            value={productId}
            disabled={!!editing}
            onChange={(e) => setProductId(e.currentTarget.value)}
          />
          <Radio.Group
            label={intl.formatMessage({ id: 'giftCardSales.f.value' })}
            value={amounts}
            onChange={(v) => setAmounts(v as 'any' | 'fixed')}
          >
            <Stack gap={6} mt={6}>
              <Radio value="any" label={intl.formatMessage({ id: 'giftCardSales.any' })} />
              <Radio value="fixed" label={intl.formatMessage({ id: 'giftCardSales.fixed' })} />
            </Stack>
          </Radio.Group>
          <NumberInput
            label={intl.formatMessage({ id: 'giftCardSales.f.months' })}
            description={intl.formatMessage({ id: 'giftCardSales.f.monthsHelp' })}
            min={1}
            max={120}
            allowDecimal={false}
            value={months}
            onChange={(v) => setMonths(typeof v === 'number' ? v : '')}
          />
        </SimpleGrid>
        {amounts === 'fixed' && (
          <Stack gap="xs">
            {rows.map((row, i) => (
              <Group key={i} align="flex-end" wrap="wrap">
                <TextInput
                  label={intl.formatMessage({ id: 'giftCardSales.f.variant' })}
                  value={row.variant}
                  onChange={(e) => {
                    const variant = e.currentTarget.value;
                    setRows((all) => all.map((r, j) => (j === i ? { ...r, variant } : r)));
                  }}
                  miw={200}
                />
                <MoneyInput
                  label={intl.formatMessage({ id: 'giftCardSales.f.amount' })}
                  currency={currency}
                  value={row.amount}
                  onChange={(amount) =>
                    setRows((all) => all.map((r, j) => (j === i ? { ...r, amount } : r)))
                  }
                  error={i === 0 ? bad('variantAmounts') : undefined}
                  miw={160}
                />
              </Group>
            ))}
            <Group>
              <Button
                size="xs"
                variant="default"
                onClick={() => setRows((all) => [...all, { variant: '', amount: undefined }])}
              >
                <FormattedMessage id="giftCardSales.addVariant" />
              </Button>
            </Group>
          </Stack>
        )}
        <Text size="xs" c="dimmed">
          <FormattedMessage id="giftCardSales.recipientHelp" />
        </Text>
        <Group>
          <Button type="submit" loading={save.isPending}>
            <FormattedMessage id="giftCardSales.save" />
          </Button>
          {editing && (
            <Button variant="default" onClick={onDone}>
              <FormattedMessage id="giftCards.cancel" />
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** Liability and breakage by month, per currency, from the ledger. */
export function GiftCardReportSection() {
  const report = useGiftCardReport();
  const money = useMoney();
  const { locale } = useLocale();
  const monthName = (month: string) =>
    new Intl.DateTimeFormat(locale === 'pl' ? 'pl-PL' : 'en-GB', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${month}-01T00:00:00Z`));
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="gc-report-title">
      <Title order={2} size="h4" id="gc-report-title">
        <FormattedMessage id="giftCardSales.report" />
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        <FormattedMessage id="giftCardSales.reportLead" />
      </Text>
      {report.isPending ? (
        <Loading />
      ) : report.error ? (
        <Failure error={report.error} onRetry={() => void report.refetch()} />
      ) : report.data.data.length === 0 ? (
        <Empty>
          <FormattedMessage id="giftCards.empty" />
        </Empty>
      ) : (
        <Stack gap="md">
          {report.data.data.map((c) => (
            <Stack key={c.currency} gap="xs" data-testid={`gift-card-report-${c.currency}`}>
              <Group gap="xl">
                <div>
                  <Text size="xs" c="dimmed">
                    <FormattedMessage id="giftCardSales.outstanding" />
                  </Text>
                  <Text fw={700} size="xl">
                    {money(c.outstanding, c.currency)}
                  </Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">
                    <FormattedMessage id="giftCardSales.activeCards" />
                  </Text>
                  <Text fw={700} size="xl">
                    {c.activeCards}
                  </Text>
                </div>
              </Group>
              <Table.ScrollContainer minWidth={640}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">
                        <FormattedMessage id="giftCardSales.col.month" />
                      </Table.Th>
                      {(['issued', 'spent', 'voided', 'breakage', 'liability'] as const).map(
                        (k) => (
                          <Table.Th scope="col" ta="right" key={k}>
                            <FormattedMessage id={`giftCardSales.col.${k}`} />
                          </Table.Th>
                        ),
                      )}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {[...c.months].reverse().map((m) => (
                      <Table.Tr key={m.month}>
                        <Table.Th scope="row" fw={500}>
                          {monthName(m.month)}
                        </Table.Th>
                        {(['issued', 'spent', 'voided', 'breakage', 'liability'] as const).map(
                          (k) => (
                            <Table.Td ta="right" key={k} style={{ whiteSpace: 'nowrap' }}>
                              {money(m[k], c.currency)}
                            </Table.Td>
                          ),
                        )}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
