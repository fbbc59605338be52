import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, NumberInput, Paper, Select, Stack, TextInput } from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import { Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { useFieldErrors } from './field-errors.ts';
import { canManage, useShopSettings, useUpdateShop } from './settings-data.ts';
import { SettingsFrame } from './settings-frame.tsx';
import type { ShopSettings } from './types.ts';
import { DataExport } from './data-export.tsx';

const supported = (key: 'currency' | 'timeZone', current: string) => {
  const values = Intl.supportedValuesOf(key);
  return values.includes(current) ? values : [current, ...values];
};

/** Settings → Shop: name, currency, time zone, language, return window, storefront URL. */
export function ShopSettingsPage() {
  const intl = useIntl();
  const { membership } = useShop();
  const shop = useShopSettings();
  return (
    <SettingsFrame title={intl.formatMessage({ id: 'settings.shop.title' })}>
      {shop.isPending ? (
        <Loading />
      ) : shop.error ? (
        <Failure error={shop.error} onRetry={() => void shop.refetch()} />
      ) : (
        <Stack>
          <ShopForm key={shop.data.id} shop={shop.data} />
          {canManage(membership.role) && <DataExport />}
        </Stack>
      )}
    </SettingsFrame>
  );
}

function ShopForm({ shop }: { shop: ShopSettings }) {
  const intl = useIntl();
  const { membership } = useShop();
  const problemText = useProblemText();
  const update = useUpdateShop();
  const [name, setName] = useState(shop.name);
  const [currency, setCurrency] = useState(shop.currency);
  const [timezone, setTimezone] = useState(shop.timezone);
  const [locale, setLocale] = useState(shop.locale);
  const [returnWindow, setReturnWindow] = useState<number | string>(shop.returnWindowDays);
  const [storefrontUrl, setStorefrontUrl] = useState(shop.storefrontUrl ?? '');
  const error = update.error instanceof ApiError ? update.error : null;
  const fieldError = useFieldErrors(error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({
      name,
      ...(currency !== shop.currency && { currency }),
      timezone,
      locale: locale as 'pl' | 'en',
      returnWindowDays: typeof returnWindow === 'number' ? returnWindow : Number(returnWindow),
      storefrontUrl: storefrontUrl.trim() === '' ? null : storefrontUrl.trim(),
    });
  };
  const readOnly = !canManage(membership.role);

  return (
    <Paper withBorder p="md" radius="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={560}>
          {readOnly && (
            <Alert color="gray">
              <FormattedMessage id="settings.readOnly" />
            </Alert>
          )}
          {error?.status === 403 && <Forbidden />}
          {error && error.status !== 403 && error.errors.length === 0 && (
            <Alert color="red" role="alert">
              {problemText(error)}
            </Alert>
          )}
          {update.isSuccess && !update.isPending && (
            <Alert color="green" role="status">
              <FormattedMessage id="settings.saved" />
            </Alert>
          )}
          <TextInput
            label={intl.formatMessage({ id: 'settings.shop.name' })}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError('name')}
            required
            readOnly={readOnly}
          />
          <Select
            label={intl.formatMessage({ id: 'settings.shop.currency' })}
            description={intl.formatMessage({ id: 'settings.shop.currencyHint' })}
            data={supported('currency', shop.currency)}
            value={currency}
            onChange={(v) => v && setCurrency(v)}
            searchable
            allowDeselect={false}
            error={fieldError('currency')}
            readOnly={readOnly}
          />
          <Select
            label={intl.formatMessage({ id: 'settings.shop.timezone' })}
            description={intl.formatMessage({ id: 'settings.shop.timezoneHint' })}
            data={supported('timeZone', shop.timezone)}
            value={timezone}
            onChange={(v) => v && setTimezone(v)}
            searchable
            allowDeselect={false}
            error={fieldError('timezone')}
            readOnly={readOnly}
            data-testid="timezone"
          />
          <Select
            label={intl.formatMessage({ id: 'settings.shop.locale' })}
            description={intl.formatMessage({ id: 'settings.shop.localeHint' })}
            data={[
              { value: 'pl', label: 'Polski' },
              { value: 'en', label: 'English' },
            ]}
            value={locale}
            onChange={(v) => v && setLocale(v)}
            allowDeselect={false}
            error={fieldError('locale')}
            readOnly={readOnly}
          />
          <NumberInput
            label={intl.formatMessage({ id: 'settings.shop.returnWindow' })}
            description={intl.formatMessage({ id: 'settings.shop.returnWindowHint' })}
            value={returnWindow}
            onChange={setReturnWindow}
            min={0}
            max={365}
            allowDecimal={false}
            error={fieldError('returnWindowDays')}
            readOnly={readOnly}
          />
          <TextInput
            label={intl.formatMessage({ id: 'settings.shop.storefrontUrl' })}
            description={intl.formatMessage({ id: 'settings.shop.storefrontUrlHint' })}
            placeholder="https://"
            type="url"
            value={storefrontUrl}
            onChange={(e) => setStorefrontUrl(e.currentTarget.value)}
            error={fieldError('storefrontUrl')}
            readOnly={readOnly}
          />
          {!readOnly && (
            <Group>
              <Button type="submit" loading={update.isPending}>
                <FormattedMessage id="settings.save" />
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
