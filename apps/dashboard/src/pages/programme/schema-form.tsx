import {
  Button,
  Fieldset,
  Group,
  NumberInput,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import type { JsonSchema } from './types.ts';

/**
 * A form generated from a JSON Schema (the args schema of a rule kind, as the registry
 * publishes it at GET /v1/programme/rule-kinds), so a new rule kind needs no form code:
 * numbers and integers with their bounds, strings, enums as selects, booleans, arrays of
 * strings as tags, arrays of objects as repeated groups, nested objects as fieldsets.
 *
 * Labels: the message `<textKey>` (and `<textKey>.hint`) when the dashboard has one for a
 * known field, else the schema's own `title` / `description`, else the property name.
 * Server errors (problem+json `errors[].path`, e.g. `rules.0.args.pointsPerUnit`) are shown
 * next to the field whose `path` they name.
 */

export interface FieldContext {
  readOnly: boolean;
  errorAt: (path: string) => string | undefined;
}

function typeOf(schema: JsonSchema): string | undefined {
  if (schema.enum) return 'enum';
  const type = Array.isArray(schema.type)
    ? schema.type.find((t) => t !== 'null')
    : (schema.type ?? schema.anyOf?.find((s) => s.type !== 'null')?.type);
  return typeof type === 'string' ? type : undefined;
}

function has(intl: IntlShape, id: string): boolean {
  return Object.prototype.hasOwnProperty.call(intl.messages, id);
}

/** The label and hint of a field: the dashboard's words for it, else the schema's. */
export function fieldText(intl: IntlShape, textKey: string, name: string, schema: JsonSchema) {
  const label = has(intl, textKey)
    ? intl.formatMessage({ id: textKey })
    : (schema.title ?? humanise(name));
  const hint = has(intl, `${textKey}.hint`)
    ? intl.formatMessage({ id: `${textKey}.hint` })
    : has(intl, textKey)
      ? undefined
      : schema.description;
  return { label, hint };
}

/** An enum value's words: `<textKey>.<value>` when known, else the value itself. */
export function optionText(intl: IntlShape, textKey: string, value: unknown): string {
  const id = `${textKey}.${String(value)}`;
  return has(intl, id) ? intl.formatMessage({ id }) : String(value);
}

function humanise(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

/** An object schema's properties, each as its field. */
export function SchemaObject(props: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  path: string;
  textKey: string;
  ctx: FieldContext;
}) {
  const { schema, value, onChange, path, textKey, ctx } = props;
  return (
    <Stack gap="xs">
      {Object.entries(schema.properties ?? {}).map(([name, child]) => (
        <SchemaField
          key={name}
          name={name}
          schema={child}
          required={schema.required?.includes(name) ?? false}
          value={value[name]}
          onChange={(next) => {
            const copy = { ...value };
            if (next === undefined) delete copy[name];
            else copy[name] = next;
            onChange(copy);
          }}
          path={`${path}.${name}`}
          textKey={`${textKey}.${name}`}
          ctx={ctx}
        />
      ))}
    </Stack>
  );
}

export function SchemaField(props: {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string;
  textKey: string;
  ctx: FieldContext;
}) {
  const intl = useIntl();
  const { name, schema, required, value, onChange, path, textKey, ctx } = props;
  const { label, hint } = fieldText(intl, textKey, name, schema);
  const error = ctx.errorAt(path);
  const type = typeOf(schema);
  const testId = `field-${path}`;
  const shown = value ?? schema.default;

  if (ctx.readOnly) {
    return (
      <Group gap="xs" wrap="wrap" align="baseline" data-testid={testId}>
        <Text size="sm" fw={500}>
          {label}:
        </Text>
        <Text size="sm">{readOnlyText(intl, textKey, schema, shown)}</Text>
      </Group>
    );
  }

  switch (type) {
    case 'enum':
      return (
        <Select
          label={label}
          description={hint}
          withAsterisk={required}
          data={(schema.enum ?? []).map((v) => ({
            value: String(v),
            label: optionText(intl, textKey, v),
          }))}
          value={shown === undefined ? null : String(shown)}
          onChange={(v) => onChange(v ?? undefined)}
          allowDeselect={!required && schema.default === undefined}
          error={error}
          data-testid={testId}
          maw={420}
        />
      );
    case 'boolean':
      return (
        <Switch
          label={label}
          description={hint}
          checked={shown === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
          error={error}
          data-testid={testId}
        />
      );
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum;
      const nullable = Array.isArray(schema.type) && schema.type.includes('null');
      return (
        <NumberInput
          label={label}
          description={hint}
          withAsterisk={required}
          value={typeof value === 'number' ? value : ''}
          placeholder={typeof schema.default === 'number' ? String(schema.default) : undefined}
          onChange={(v) => onChange(typeof v === 'number' ? v : nullable ? null : undefined)}
          min={min}
          max={
            schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER
              ? schema.maximum
              : undefined
          }
          allowDecimal={type === 'number'}
          allowNegative={min === undefined || min < 0}
          clampBehavior="none"
          error={error}
          data-testid={testId}
          maw={320}
        />
      );
    }
    case 'string':
      return (
        <TextInput
          label={label}
          description={hint}
          withAsterisk={required}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) =>
            onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)
          }
          maxLength={schema.maxLength}
          error={error}
          data-testid={testId}
          maw={420}
        />
      );
    case 'array': {
      const items = schema.items ?? {};
      const list = Array.isArray(value) ? value : [];
      if (typeOf(items) === 'string' || typeOf(items) === 'enum') {
        return (
          <TagsInput
            label={label}
            description={hint ?? intl.formatMessage({ id: 'programme.form.tagsHint' })}
            value={list.map(String)}
            onChange={(v) => onChange(v.length > 0 ? v : undefined)}
            maxTags={schema.maxItems}
            error={error ?? ctx.errorAt(`${path}.0`)}
            data-testid={testId}
            maw={420}
          />
        );
      }
      return (
        <Fieldset legend={label} data-testid={testId} p="sm">
          <Stack gap="sm">
            {hint && (
              <Text size="xs" c="dimmed">
                {hint}
              </Text>
            )}
            {error && (
              <Text size="sm" c="red.9" role="alert">
                {error}
              </Text>
            )}
            {list.map((item, i) => (
              <Stack
                key={i}
                gap="xs"
                pb="xs"
                style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
              >
                <Text size="sm" fw={500}>
                  {label} {i + 1}
                </Text>
                {typeOf(items) === 'object' ? (
                  <SchemaObject
                    schema={items}
                    value={(item as Record<string, unknown> | undefined) ?? {}}
                    onChange={(next) => onChange(list.map((old, j) => (j === i ? next : old)))}
                    path={`${path}.${i}`}
                    textKey={textKey}
                    ctx={ctx}
                  />
                ) : (
                  <SchemaField
                    name={`${name}.${i}`}
                    schema={items}
                    required
                    value={item}
                    onChange={(next) => onChange(list.map((old, j) => (j === i ? next : old)))}
                    path={`${path}.${i}`}
                    textKey={`${textKey}.item`}
                    ctx={ctx}
                  />
                )}
                <Group>
                  <Button
                    variant="default"
                    size="xs"
                    onClick={() => onChange(list.filter((_, j) => j !== i))}
                  >
                    <FormattedMessage id="programme.form.removeItem" values={{ n: i + 1 }} />
                  </Button>
                </Group>
              </Stack>
            ))}
            <Group>
              <Button
                variant="default"
                size="xs"
                disabled={schema.maxItems !== undefined && list.length >= schema.maxItems}
                onClick={() => onChange([...list, emptyValue(items)])}
              >
                <FormattedMessage id="programme.form.addItem" values={{ what: label }} />
              </Button>
            </Group>
          </Stack>
        </Fieldset>
      );
    }
    case 'object':
      return (
        <Fieldset legend={label} p="sm" data-testid={testId}>
          {hint && (
            <Text size="xs" c="dimmed" mb="xs">
              {hint}
            </Text>
          )}
          <SchemaObject
            schema={schema}
            value={(value as Record<string, unknown> | undefined) ?? {}}
            onChange={onChange}
            path={path}
            textKey={textKey}
            ctx={ctx}
          />
        </Fieldset>
      );
    default:
      // Any JSON value (e.g. a condition's value): numbers, true/false and lists as JSON, else text.
      return (
        <TextInput
          label={label}
          description={hint ?? intl.formatMessage({ id: 'programme.form.anyHint' })}
          value={
            value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)
          }
          onChange={(e) => onChange(parseLoose(e.currentTarget.value))}
          error={error}
          data-testid={testId}
          maw={420}
        />
      );
  }
}

function parseLoose(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A new item of an array: the defaults its schema gives, nothing else. */
export function emptyValue(schema: JsonSchema): unknown {
  const type = typeOf(schema);
  if (type === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      if (child.default !== undefined) out[name] = structuredClone(child.default);
    }
    return out;
  }
  return schema.default;
}

/** A value as read-only text. */
export function readOnlyText(
  intl: IntlShape,
  textKey: string,
  schema: JsonSchema,
  value: unknown,
): string {
  if (value === undefined || value === null) return '—';
  const type = typeOf(schema);
  if (type === 'enum') return optionText(intl, textKey, value);
  if (type === 'boolean')
    return intl.formatMessage({ id: value === true ? 'programme.form.yes' : 'programme.form.no' });
  if (typeof value === 'number') return intl.formatNumber(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    const items = schema.items ?? {};
    return value
      .map((v) =>
        typeof v === 'object' && v !== null
          ? Object.entries(v as Record<string, unknown>)
              .map(([k, x]) => {
                const child = items.properties?.[k] ?? {};
                return `${fieldText(intl, `${textKey}.${k}`, k, child).label} ${readOnlyText(intl, `${textKey}.${k}`, child, x)}`;
              })
              .join(', ')
          : String(v),
      )
      .join('; ');
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
