import { Fieldset, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { Password } from '../../ui/password-input.tsx';
import type { FormField, FormValues } from './schema-form.ts';

/** `shopUrl` → "Shop url": the words of a field this dashboard has no text for. */
const spoken = (name: string) => {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * The fields of a platform's form, drawn from its JSON Schema: a password field for every
 * credential, a list as comma-separated text, a choice as a select, a group as a fieldset. The
 * server's field errors (`credentials.password`, `settings.statuses.paid.0`) show at the field.
 */
export function SchemaFields({
  fields,
  values,
  onChange,
  error,
  disabled = false,
}: {
  fields: FormField[];
  values: FormValues;
  onChange: (path: string, value: string | boolean) => void;
  error: unknown;
  disabled?: boolean;
}) {
  const intl = useIntl();
  const text = (id: string) => (intl.messages[id] ? intl.formatMessage({ id }) : undefined);
  const label = (f: FormField) => {
    const words = text(`connections.field.${f.name}`) ?? spoken(f.name);
    return f.required ? words : `${words} ${intl.formatMessage({ id: 'connections.optional' })}`;
  };
  const problem = (f: FormField) =>
    error instanceof ApiError ? error.fieldErrorWithin(f.path) : undefined;

  return (
    <Stack gap="sm">
      {fields.map((f) => {
        const common = {
          label: label(f),
          error: problem(f),
          required: f.required,
          disabled,
          'data-field': f.path,
        };
        const hint = text(`connections.hint.${f.name}`);
        switch (f.kind) {
          case 'group':
            return (
              <Fieldset key={f.path} legend={label(f)} variant="unstyled" disabled={disabled}>
                <Stack gap="xs">
                  {hint && (
                    <Text size="xs" c="dimmed">
                      {hint}
                    </Text>
                  )}
                  <SchemaFields
                    fields={f.children}
                    values={values}
                    onChange={onChange}
                    error={error}
                    disabled={disabled}
                  />
                </Stack>
              </Fieldset>
            );
          case 'secret':
            return (
              <Password
                key={f.path}
                {...common}
                value={String(values[f.path] ?? '')}
                onChange={(e) => onChange(f.path, e.currentTarget.value)}
                autoComplete="off"
                spellCheck={false}
                maxLength={f.maxLength}
                description={hint}
              />
            );
          case 'choice':
            return (
              <Select
                key={f.path}
                {...common}
                data={f.options.map((o) => ({
                  value: o,
                  label: text(`connections.option.${f.name}.${o}`) ?? o,
                }))}
                value={String(values[f.path] ?? '')}
                onChange={(v) => onChange(f.path, v ?? '')}
                allowDeselect={false}
                description={hint}
              />
            );
          case 'switch':
            return (
              <Switch
                key={f.path}
                label={common.label}
                error={common.error}
                disabled={disabled}
                checked={values[f.path] === true}
                onChange={(e) => onChange(f.path, e.currentTarget.checked)}
                description={hint}
              />
            );
          default:
            return (
              <TextInput
                key={f.path}
                {...common}
                value={String(values[f.path] ?? '')}
                onChange={(e) => onChange(f.path, e.currentTarget.value)}
                type={f.format === 'uri' ? 'url' : 'text'}
                inputMode={f.kind === 'number' ? 'numeric' : undefined}
                placeholder={
                  f.defaultValue !== undefined && !Array.isArray(f.defaultValue)
                    ? String(f.defaultValue)
                    : undefined
                }
                description={
                  f.kind === 'list'
                    ? [hint, intl.formatMessage({ id: 'connections.listHint' })]
                        .filter(Boolean)
                        .join(' ')
                    : hint
                }
                maxLength={f.maxLength}
                spellCheck={false}
                autoComplete="off"
              />
            );
        }
      })}
    </Stack>
  );
}
