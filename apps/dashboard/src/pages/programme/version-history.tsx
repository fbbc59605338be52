import { Paper, Stack, Text, Title } from '@mantine/core';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { diffProgrammes, type Change } from './diff.ts';
import { SETTINGS_SCHEMA, useVersions } from './programme-data.ts';
import { fieldText, readOnlyText } from './schema-form.tsx';
import type { JsonSchema, RuleKind } from './types.ts';

/** The published versions, newest first, each with who, when and what changed from the one before. */
export function VersionHistory({ kinds }: { kinds: RuleKind[] }) {
  const intl = useIntl();
  const { locale } = useLocale();
  const { membership, shop } = useShop();
  const versions = useVersions(membership.id);
  const when = new Intl.DateTimeFormat(locale === 'pl' ? 'pl-PL' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: shop?.timezone ?? 'Europe/Warsaw',
  });
  const kindOf = new Map(kinds.map((k) => [k.code, k]));
  return (
    <section aria-labelledby="history-title" data-testid="history">
      <Title order={2} size="h4" id="history-title" mb="xs">
        <FormattedMessage id="programme.history" />
      </Title>
      {versions.isPending ? (
        <Loading />
      ) : versions.error ? (
        <Failure error={versions.error} onRetry={() => void versions.refetch()} />
      ) : versions.data.data.length === 0 ? (
        <Empty>—</Empty>
      ) : (
        <Stack gap="sm">
          {versions.data.data.map((v, i) => {
            const previous = versions.data.data[i + 1];
            const changes = previous ? diffProgrammes(previous, v) : null;
            const by = v.publishedBy;
            return (
              <Paper
                key={v.version}
                withBorder
                p="sm"
                radius="md"
                data-testid={`version-${v.version}`}
              >
                <Text fw={600} size="sm">
                  <FormattedMessage
                    id="programme.versionLine"
                    values={{
                      version: v.version,
                      when: when.format(new Date(v.publishedAt)),
                      who:
                        by.type === 'user'
                          ? (by.name ?? intl.formatMessage({ id: 'programme.by.formerMember' }))
                          : intl.formatMessage({ id: `programme.by.${by.type}` }),
                    }}
                  />
                </Text>
                {changes === null ? (
                  <Text size="sm" c="dimmed">
                    <FormattedMessage id="programme.firstVersion" />
                  </Text>
                ) : changes.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    <FormattedMessage id="programme.noChanges" />
                  </Text>
                ) : (
                  <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
                    {changes.map((c, j) => (
                      <li key={j}>
                        <Text size="sm" component="span">
                          {changeText(intl, c, (code) => kindOf.get(code), locale)}
                        </Text>
                      </li>
                    ))}
                  </ul>
                )}
              </Paper>
            );
          })}
        </Stack>
      )}
    </section>
  );
}

function changeText(
  intl: IntlShape,
  c: Change,
  kindOf: (code: string) => RuleKind | undefined,
  locale: 'pl' | 'en',
): string {
  const t = (id: string, values: Record<string, string | number>) =>
    intl.formatMessage({ id: `programme.change.${id}` }, values);
  if (c.kind === 'campaignsChanged') return t('campaigns', { before: c.before, after: c.after });
  if (c.kind === 'settingChanged') {
    const schema = SETTINGS_SCHEMA.properties?.[c.field] ?? {};
    const key = `programme.setting.${c.field}`;
    return t('setting', {
      field: fieldText(intl, key, c.field, schema).label,
      before: readOnlyText(intl, key, schema, c.before),
      after: readOnlyText(intl, key, schema, c.after),
    });
  }
  const kind = kindOf(c.rule.code);
  const rule = `${kind?.title[locale] ?? c.rule.code} (${c.rule.id})`;
  if (c.kind === 'ruleAdded') return t('added', { rule });
  if (c.kind === 'ruleRemoved') return t('removed', { rule });
  if (c.field === 'active') {
    return t(c.after === true ? 'activated' : 'deactivated', { rule });
  }
  if (c.field === 'cap') {
    const cap = (v: unknown) => (v ? JSON.stringify(v) : '—');
    return t('cap', { rule, before: cap(c.before), after: cap(c.after) });
  }
  const name = c.field.replace(/^args\./, '');
  const schema: JsonSchema = kind?.args.properties?.[name] ?? {};
  const key = `programme.arg.${c.rule.code}.${name}`;
  return t('field', {
    rule,
    field: fieldText(intl, key, name, schema).label,
    before: readOnlyText(intl, key, schema, c.before),
    after: readOnlyText(intl, key, schema, c.after),
  });
}
