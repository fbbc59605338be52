import {
  Button,
  Fieldset,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  TextInput,
} from '@mantine/core';
import { useIntl } from 'react-intl';
import { MoneyInput } from '../../ui/money-input.tsx';
import type { Fact } from './segments-data.ts';
import {
  emptyValue,
  newCondition,
  newGroup,
  type DraftCondition,
  type DraftGroup,
  type DraftNode,
  type DraftValue,
} from './rule-draft.ts';

interface BuilderProps {
  facts: Fact[];
  currency: string;
  readOnly: boolean;
}

/**
 * A group of conditions joined by "all" or "any"; groups nest. Each condition's operators and
 * value editor come from its fact's type and unit (GET /v1/segments/facts): money in the shop's
 * currency, days ago, counts, RFM quintiles as a list, probabilities, tags, yes/no.
 */
export function GroupEditor({
  group,
  onChange,
  onRemove,
  path,
  ...props
}: BuilderProps & {
  group: DraftGroup;
  onChange: (group: DraftGroup) => void;
  onRemove?: () => void;
  path: string;
}) {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id }, values);
  const setChild = (i: number, next: DraftNode | null) =>
    onChange({
      ...group,
      children: next
        ? group.children.map((c, j) => (j === i ? next : c))
        : group.children.filter((_, j) => j !== i),
    });
  const depth = path.split('.').length;
  return (
    <Fieldset
      legend={path === '0' ? t('segments.rules') : t('segments.group.label', { n: path })}
      data-testid={`group-${path}`}
      variant={depth > 1 ? 'filled' : 'default'}
    >
      <Stack gap="sm">
        <Select
          label={t('segments.group.match')}
          data={[
            { value: 'all', label: t('segments.group.all') },
            { value: 'any', label: t('segments.group.any') },
          ]}
          value={group.join}
          onChange={(v) => v && onChange({ ...group, join: v as 'all' | 'any' })}
          allowDeselect={false}
          disabled={props.readOnly}
          w={{ base: '100%', sm: 260 }}
        />
        {group.children.map((child, i) =>
          child.kind === 'group' ? (
            <GroupEditor
              key={child.key}
              {...props}
              group={child}
              path={`${path}.${i + 1}`}
              onChange={(next) => setChild(i, next)}
              onRemove={() => setChild(i, null)}
            />
          ) : (
            <ConditionEditor
              key={child.key}
              {...props}
              condition={child}
              testId={`condition-${path}.${i + 1}`}
              onChange={(next) => setChild(i, next)}
              onRemove={group.children.length > 1 ? () => setChild(i, null) : undefined}
            />
          ),
        )}
        {!props.readOnly && (
          <Group gap="xs">
            <Button
              variant="light"
              size="xs"
              onClick={() =>
                onChange({ ...group, children: [...group.children, newCondition(props.facts)] })
              }
            >
              {t('segments.addCondition')}
            </Button>
            {depth < 4 && (
              <Button
                variant="light"
                size="xs"
                onClick={() =>
                  onChange({
                    ...group,
                    children: [
                      ...group.children,
                      newGroup(props.facts, group.join === 'all' ? 'any' : 'all'),
                    ],
                  })
                }
              >
                {t('segments.addGroup')}
              </Button>
            )}
            {onRemove && (
              <Button variant="subtle" color="red" size="xs" onClick={onRemove}>
                {t('segments.removeGroup')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Fieldset>
  );
}

function ConditionEditor({
  condition,
  onChange,
  onRemove,
  testId,
  facts,
  currency,
  readOnly,
}: BuilderProps & {
  condition: DraftCondition;
  onChange: (c: DraftCondition) => void;
  onRemove: (() => void) | undefined;
  testId: string;
}) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const fact = facts.find((f) => f.fact === condition.fact);
  const factName = (name: string) =>
    intl.messages[`segments.fact.${name}`] ? t(`segments.fact.${name}`) : name;
  return (
    <Paper withBorder p="xs" data-testid={testId}>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Select
          label={t('segments.fact')}
          data={facts.map((f) => ({ value: f.fact, label: factName(f.fact) }))}
          value={condition.fact}
          onChange={(v) => {
            const next = facts.find((f) => f.fact === v);
            if (!next) return;
            const op = next.operators[0]!;
            onChange({ ...condition, fact: next.fact, op, value: emptyValue(next, op) });
          }}
          allowDeselect={false}
          searchable
          disabled={readOnly}
          w={{ base: '100%', sm: 240 }}
        />
        <Select
          label={t('segments.operator')}
          data={(fact?.operators ?? [condition.op]).map((op) => ({
            value: op,
            label: t(`segments.op.${op}`),
          }))}
          value={condition.op}
          onChange={(op) => {
            if (!op) return;
            const between = (op === 'between') !== (condition.op === 'between');
            onChange({ ...condition, op, value: between ? emptyValue(fact, op) : condition.value });
          }}
          allowDeselect={false}
          disabled={readOnly}
          w={{ base: '100%', sm: 150 }}
        />
        {condition.op === 'between' ? (
          <>
            <ValueEditor
              fact={fact}
              currency={currency}
              readOnly={readOnly}
              label={t('segments.valueFrom')}
              value={(condition.value as [number | undefined, number | undefined])[0]}
              onChange={(v) =>
                onChange({
                  ...condition,
                  value: [v as number | undefined, (condition.value as [unknown, number])[1]],
                })
              }
            />
            <ValueEditor
              fact={fact}
              currency={currency}
              readOnly={readOnly}
              label={t('segments.valueTo')}
              value={(condition.value as [number | undefined, number | undefined])[1]}
              onChange={(v) =>
                onChange({
                  ...condition,
                  value: [(condition.value as [number, unknown])[0], v as number | undefined],
                })
              }
            />
          </>
        ) : (
          <ValueEditor
            fact={fact}
            currency={currency}
            readOnly={readOnly}
            label={t('segments.value')}
            value={condition.value as Exclude<DraftValue, unknown[]>}
            onChange={(value) => onChange({ ...condition, value })}
          />
        )}
        {onRemove && !readOnly && (
          <Button
            variant="subtle"
            color="red"
            size="xs"
            onClick={onRemove}
            aria-label={`${t('segments.remove')}: ${factName(condition.fact)}`}
          >
            {t('segments.remove')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

function ValueEditor({
  fact,
  currency,
  readOnly,
  label,
  value,
  onChange,
}: {
  fact: Fact | undefined;
  currency: string;
  readOnly: boolean;
  label: string;
  value: number | string | boolean | undefined;
  onChange: (value: number | string | boolean | undefined) => void;
}) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const width = { base: '100%', sm: 170 };
  const toNumber = (v: string | number) =>
    v === '' ? undefined : typeof v === 'number' ? v : Number(String(v).replace(',', '.'));
  if (fact?.type === 'boolean') {
    return (
      <Select
        label={label}
        data={[
          { value: 'true', label: t('segments.yes') },
          { value: 'false', label: t('segments.no') },
        ]}
        value={String(value ?? true)}
        onChange={(v) => onChange(v === 'true')}
        allowDeselect={false}
        disabled={readOnly}
        w={width}
      />
    );
  }
  if (fact?.type === 'list') {
    return (
      <TextInput
        label={label}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) =>
          onChange(e.currentTarget.value.trim() === '' ? undefined : e.currentTarget.value)
        }
        maxLength={200}
        disabled={readOnly}
        w={width}
      />
    );
  }
  const number = typeof value === 'number' ? value : undefined;
  if (fact?.unit === 'money') {
    return (
      <MoneyInput
        label={label}
        currency={currency}
        value={number}
        onChange={onChange}
        disabled={readOnly}
        w={width}
      />
    );
  }
  if (fact?.unit === 'quintile') {
    return (
      <Select
        label={label}
        data={[0, 1, 2, 3, 4, 5].map((q) => ({
          value: String(q),
          label: q === 0 ? t('segments.quintile.0') : String(q),
        }))}
        value={number === undefined ? null : String(number)}
        onChange={(v) => onChange(v === null ? undefined : Number(v))}
        disabled={readOnly}
        w={width}
      />
    );
  }
  return (
    <NumberInput
      label={fact?.unit === 'days' ? `${label} (${t('segments.daysAgo')})` : label}
      value={number ?? ''}
      onChange={(v) => onChange(toNumber(v))}
      min={0}
      max={fact?.unit === 'probability' ? 1 : undefined}
      step={fact?.unit === 'probability' ? 0.05 : 1}
      decimalScale={fact?.unit === 'probability' ? 2 : 0}
      allowNegative={false}
      disabled={readOnly}
      w={width}
    />
  );
}
