import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { fieldProblem } from '../../ui/field-error.ts';
import { MoneyInput } from '../../ui/money-input.tsx';
import { Forbidden } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { idList, REFUSALS, useValidateCode } from './coupons-data.ts';

/**
 * "Check a code": asks checkout's own validation for a cart and says every reason the code is
 * refused, in the interface's language, or that it applies and for how much.
 */
export function CodeTester() {
  const intl = useIntl();
  const { locale } = useLocale();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const currency = shop?.currency ?? 'PLN';
  const check = useValidateCode();
  const problemText = useProblemText();
  const [code, setCode] = useState('');
  const [total, setTotal] = useState<number | undefined>(10_000);
  const [customerId, setCustomerId] = useState('');
  const [applied, setApplied] = useState('');
  const error = check.error;
  const bad = (path: string, id: string) =>
    fieldProblem(error, path) ? intl.formatMessage({ id }) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const others = idList(applied);
    check.mutate({
      code,
      ...(customerId.trim() && { customerId: customerId.trim() }),
      cart: { currency, total },
      ...(others.length > 0 && { appliedCodes: others }),
    });
  };
  const reasonText = (reason: string, messages: { pl: string; en: string }) =>
    (REFUSALS as readonly string[]).includes(reason)
      ? intl.formatMessage({ id: `coupons.reason.${reason}` })
      : messages[locale];
  const result = check.data;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="tester-title">
      <Title order={2} size="h4" id="tester-title">
        <FormattedMessage id="coupons.tester" />
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        <FormattedMessage id="coupons.testerLead" />
      </Text>
      <form onSubmit={submit} noValidate data-testid="code-tester">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={intl.formatMessage({ id: 'coupons.t.code' })}
              required
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              error={bad('code', 'coupons.e.testCode')}
              autoComplete="off"
            />
            <MoneyInput
              label={intl.formatMessage({ id: 'coupons.t.total' })}
              required
              currency={currency}
              value={total}
              onChange={setTotal}
              error={bad('cart.total', 'coupons.e.amountOrZero')}
            />
            <TextInput
              label={intl.formatMessage({ id: 'coupons.t.customer' })}
              description={intl.formatMessage({ id: 'coupons.t.customerHint' })}
              value={customerId}
              onChange={(e) => setCustomerId(e.currentTarget.value)}
              error={bad('customerId', 'coupons.e.ids')}
            />
            <TextInput
              label={intl.formatMessage({ id: 'coupons.t.applied' })}
              description={intl.formatMessage({ id: 'coupons.f.idsHint' })}
              value={applied}
              onChange={(e) => setApplied(e.currentTarget.value)}
              error={bad('appliedCodes', 'coupons.e.ids')}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={check.isPending}>
              <FormattedMessage id="coupons.t.submit" />
            </Button>
          </Group>
          <div aria-live="polite" data-testid="tester-result">
            {error instanceof ApiError && error.status === 403 && <Forbidden />}
            {error &&
              !(error instanceof ApiError && (error.status === 403 || error.errors.length > 0)) && (
                <Alert color="red" role="alert">
                  {problemText(error)}
                </Alert>
              )}
            {result?.valid === true && (
              <Alert color="green">
                <Text fw={700} size="sm">
                  <FormattedMessage id="coupons.t.valid" values={{ code: result.code }} />
                </Text>
                {result.discount.kind === 'free_shipping' ? (
                  <FormattedMessage id="coupons.t.freeShipping" />
                ) : result.discount.kind === 'free_product' ? (
                  <FormattedMessage
                    id="coupons.t.freeProduct"
                    values={{ product: result.discount.productId }}
                  />
                ) : (
                  <FormattedMessage
                    id="coupons.t.discount"
                    values={{ amount: fmt.money(result.discount.amount) }}
                  />
                )}
              </Alert>
            )}
            {result?.valid === false && (
              <Alert color="red">
                <Text fw={700} size="sm">
                  <FormattedMessage id="coupons.t.refused" />
                </Text>
                <List size="sm" data-testid="refusal-reasons">
                  {(result.reasons ?? [{ reason: result.reason, messages: result.messages }]).map(
                    (r) => (
                      <List.Item key={r.reason}>{reasonText(r.reason, r.messages)}</List.Item>
                    ),
                  )}
                </List>
              </Alert>
            )}
          </div>
        </Stack>
      </form>
    </Paper>
  );
}
