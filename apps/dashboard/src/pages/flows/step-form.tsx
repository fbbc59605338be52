import { useState } from 'react';
import {
  Button,
  Checkbox,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useIntl } from 'react-intl';
import { useShop } from '../../layout/shop-context.ts';
import { GroupEditor } from '../segments/rule-builder.tsx';
import { fromRule, newGroup, toRule, type DraftGroup } from '../segments/rule-draft.ts';
import { loadFacts, type Rule } from '../segments/segments-data.ts';
import {
  loadEndpoints,
  loadRewards,
  loadSegments,
  loadTemplates,
  TRIGGER_TYPES,
  type Discount,
  type Grant,
  type Step,
  type Trigger,
  type TriggerType,
} from './flows-data.ts';

/** The server's error for a path inside the flow's definition, in the chosen language. */
export type FieldErrorOf = (path: string) => string | undefined;

type Num = number | string;
/** The choice "none" of a select ("any segment", "the next step"): no step or segment id has it. */
const NONE = '*';
const numOrUndefined = (v: Num): number | undefined =>
  v === '' || Number.isNaN(Number(v)) ? undefined : Number(v);

/** Minor units per major unit of the shop's currency (100 for złoty). */
function minorScale(currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  return 10 ** (digits ?? 2);
}

/** A choice list that always holds the current value, even one the lists do not know. */
function withCurrent(data: Array<{ value: string; label: string }>, current: string | undefined) {
  if (!current || data.some((d) => d.value === current)) return data;
  return [{ value: current, label: current }, ...data];
}

function defaultTrigger(type: TriggerType): Trigger {
  switch (type) {
    case 'points.expiring':
      return { type, days: 14 };
    case 'points.milestone':
      return { type, points: 1000 };
    case 'customer.dormant':
      return { type, days: 90 };
    case 'activity':
      return { type, activityType: 'cart.updated' };
    default:
      return { type } as Trigger;
  }
}

export function TriggerForm({
  trigger,
  onChange,
  errorOf,
}: {
  trigger: Trigger;
  onChange: (t: Trigger) => void;
  errorOf: FieldErrorOf;
}) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" data-testid="trigger-form">
      <Select
        label={t('flows.edit.triggerType')}
        data={TRIGGER_TYPES.map((type) => ({ value: type, label: t(`flows.triggerType.${type}`) }))}
        value={trigger.type}
        onChange={(v) => v && onChange(defaultTrigger(v as TriggerType))}
        allowDeselect={false}
        error={errorOf('type')}
      />
      {trigger.type === 'order.paid' && (
        <NumberInput
          label={t('flows.edit.nth')}
          value={trigger.nth ?? ''}
          onChange={(v) => {
            const nth = numOrUndefined(v);
            onChange(nth === undefined ? { type: 'order.paid' } : { type: 'order.paid', nth });
          }}
          allowDecimal={false}
          error={errorOf('nth')}
        />
      )}
      {(trigger.type === 'points.expiring' || trigger.type === 'customer.dormant') && (
        <NumberInput
          label={t('flows.edit.triggerDays')}
          value={trigger.days}
          onChange={(v) => onChange({ ...trigger, days: Number(v) })}
          allowDecimal={false}
          error={errorOf('days')}
        />
      )}
      {trigger.type === 'points.milestone' && (
        <NumberInput
          label={t('flows.edit.triggerPoints')}
          value={trigger.points}
          onChange={(v) => onChange({ ...trigger, points: Number(v) })}
          allowDecimal={false}
          error={errorOf('points')}
        />
      )}
      {trigger.type === 'tier.changed' && (
        <Select
          label={t('flows.edit.direction')}
          data={[
            { value: NONE, label: t('flows.edit.any') },
            { value: 'up', label: t('flows.edit.up.option') },
            { value: 'down', label: t('flows.edit.down.option') },
          ]}
          value={trigger.direction ?? NONE}
          onChange={(v) =>
            onChange(
              v && v !== NONE
                ? { type: 'tier.changed', direction: v as 'up' | 'down' }
                : { type: 'tier.changed' },
            )
          }
          allowDeselect={false}
          error={errorOf('direction')}
        />
      )}
      {trigger.type === 'survey.answered' && (
        <Select
          label={t('flows.edit.category')}
          data={[
            { value: NONE, label: t('flows.edit.any') },
            ...(['promoter', 'passive', 'detractor'] as const).map((c) => ({
              value: c,
              label: t(`flows.trigger.category.${c}`),
            })),
          ]}
          value={trigger.category ?? NONE}
          onChange={(v) =>
            onChange(
              v && v !== NONE
                ? { type: 'survey.answered', category: v as 'promoter' }
                : { type: 'survey.answered' },
            )
          }
          allowDeselect={false}
          error={errorOf('category')}
        />
      )}
      {trigger.type === 'activity' && (
        <TextInput
          label={t('flows.edit.activityType')}
          value={trigger.activityType}
          onChange={(e) => onChange({ type: 'activity', activityType: e.currentTarget.value })}
          error={errorOf('activityType')}
        />
      )}
    </SimpleGrid>
  );
}

/** The settings of one step, by its type; every field shows the server's error for its path. */
export function StepForm({
  step,
  steps,
  index,
  onChange,
  errorOf,
}: {
  step: Step;
  steps: Step[];
  index: number;
  onChange: (s: Step) => void;
  errorOf: FieldErrorOf;
}) {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id }, values);
  const later = steps.slice(index + 1).map((s) => s.id);
  const earlierGrants = steps
    .slice(0, index)
    .filter((s) => s.type === 'grant')
    .map((s) => s.id);
  const jumpChoices = (first: { value: string; label: string }) => [
    first,
    ...later.map((id) => ({ value: id, label: t('flows.edit.gotoStep', { step: id }) })),
  ];

  return (
    <Stack gap="sm" mt="xs" data-testid="step-form">
      <TextInput
        label={t('flows.edit.stepId')}
        description={t('flows.edit.stepIdHint')}
        value={step.id}
        onChange={(e) => onChange({ ...step, id: e.currentTarget.value })}
        error={errorOf('id')}
        maw={360}
      />
      {step.type === 'wait' && <WaitFields step={step} onChange={onChange} errorOf={errorOf} />}
      {step.type === 'condition' && (
        <ConditionFields
          step={step}
          onChange={onChange}
          errorOf={errorOf}
          elseChoices={jumpChoices({ value: 'exit', label: t('flows.cond.exit') })}
        />
      )}
      {step.type === 'send' && (
        <SendFields step={step} onChange={onChange} errorOf={errorOf} grants={earlierGrants} />
      )}
      {step.type === 'grant' && (
        <GrantFields
          grant={step.grant}
          onChange={(grant) => onChange({ ...step, grant })}
          errorOf={(f) => errorOf(`grant.${f}`)}
        />
      )}
      {step.type === 'split' && (
        <Stack gap="xs">
          {step.variants.map((v, j) => {
            const set = (patch: Partial<typeof v>) =>
              onChange({
                ...step,
                variants: step.variants.map((w, k) => (k === j ? { ...w, ...patch } : w)),
              });
            return (
              <Group key={j} align="flex-start" gap="xs" wrap="wrap">
                <TextInput
                  label={t('flows.edit.variantKey', { n: j + 1 })}
                  value={v.key}
                  onChange={(e) => set({ key: e.currentTarget.value })}
                  error={errorOf(`variants.${j}.key`)}
                  w={140}
                />
                <NumberInput
                  label={t('flows.edit.variantWeight', { n: j + 1 })}
                  value={v.weight}
                  onChange={(n) => set({ weight: Number(n) })}
                  allowDecimal={false}
                  error={errorOf(`variants.${j}.weight`)}
                  w={140}
                />
                <Select
                  label={t('flows.edit.variantGoto', { n: j + 1 })}
                  data={jumpChoices({ value: NONE, label: t('flows.edit.next') })}
                  value={v.goto ?? NONE}
                  onChange={(g) => {
                    const copy = { ...v };
                    if (g && g !== NONE) copy.goto = g;
                    else delete copy.goto;
                    onChange({
                      ...step,
                      variants: step.variants.map((w, k) => (k === j ? copy : w)),
                    });
                  }}
                  allowDeselect={false}
                  error={errorOf(`variants.${j}.goto`)}
                  w={220}
                />
                {step.variants.length > 1 && (
                  <Button
                    variant="subtle"
                    color="red.9"
                    mt={24}
                    onClick={() =>
                      onChange({ ...step, variants: step.variants.filter((_, k) => k !== j) })
                    }
                  >
                    {t('flows.edit.removeVariant', { n: j + 1 })}
                  </Button>
                )}
              </Group>
            );
          })}
          <Group align="flex-end">
            <Button
              variant="light"
              size="xs"
              disabled={step.variants.length >= 10}
              onClick={() =>
                onChange({
                  ...step,
                  variants: [
                    ...step.variants,
                    { key: String.fromCharCode(97 + step.variants.length), weight: 1 },
                  ],
                })
              }
            >
              {t('flows.edit.addVariant')}
            </Button>
          </Group>
          <NumberInput
            label={t('flows.edit.holdout')}
            value={step.holdoutWeight}
            onChange={(n) => onChange({ ...step, holdoutWeight: Number(n) })}
            allowDecimal={false}
            error={errorOf('holdoutWeight') ?? errorOf('variants')}
            maw={360}
          />
        </Stack>
      )}
      {step.type === 'webhook' && (
        <EndpointField step={step} onChange={onChange} errorOf={errorOf} />
      )}
      {step.type === 'task' && (
        <TextInput
          label={t('flows.edit.taskTitle')}
          value={step.title}
          onChange={(e) => onChange({ ...step, title: e.currentTarget.value })}
          error={errorOf('title')}
        />
      )}
    </Stack>
  );
}

function WaitFields({
  step,
  onChange,
  errorOf,
}: {
  step: Extract<Step, { type: 'wait' }>;
  onChange: (s: Step) => void;
  errorOf: FieldErrorOf;
}) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const setPart = (part: 'days' | 'hours' | 'minutes', v: Num) => {
    const duration = { ...step.duration };
    const n = numOrUndefined(v);
    if (n === undefined) delete duration[part];
    else duration[part] = n;
    const { duration: _old, ...rest } = step;
    onChange(Object.keys(duration).length === 0 ? rest : { ...rest, duration });
  };
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, sm: 4 }}>
      {(['days', 'hours', 'minutes'] as const).map((part) => (
        <NumberInput
          key={part}
          label={t(`flows.edit.${part}`)}
          value={step.duration?.[part] ?? ''}
          onChange={(v) => setPart(part, v)}
          allowDecimal={false}
          error={errorOf(`duration.${part}`)}
        />
      ))}
      <TextInput
        label={t('flows.edit.untilTime')}
        description={t('flows.edit.untilTimeHint')}
        value={step.untilTime ?? ''}
        onChange={(e) => {
          const value = e.currentTarget.value;
          const next = { ...step };
          if (value) next.untilTime = value;
          else delete next.untilTime;
          onChange(next);
        }}
        error={errorOf('untilTime')}
      />
    </SimpleGrid>
  );
}

function ConditionFields({
  step,
  onChange,
  errorOf,
  elseChoices,
}: {
  step: Extract<Step, { type: 'condition' }>;
  onChange: (s: Step) => void;
  errorOf: FieldErrorOf;
  elseChoices: Array<{ value: string; label: string }>;
}) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const { membership, shop } = useShop();
  const currency = shop?.currency ?? 'PLN';
  const segments = useQuery({
    queryKey: ['segments', membership.id],
    queryFn: loadSegments,
    retry: false,
  });
  const facts = useQuery({
    queryKey: ['segment-facts', membership.id],
    queryFn: loadFacts,
    retry: false,
  });
  // The rule's working copy: null while the step has no rule of its own. The step takes the rule
  // once every condition is complete; until then the builder says what is missing.
  const [draft, setDraft] = useState<DraftGroup | null>(() =>
    step.rule === undefined ? null : fromRule(step.rule as Rule),
  );
  const [incomplete, setIncomplete] = useState(false);
  return (
    <Stack gap="sm">
      <Checkbox
        label={t('flows.edit.noComplaint')}
        checked={step.noComplaint ?? false}
        onChange={(e) => {
          const next = { ...step };
          if (e.currentTarget.checked) next.noComplaint = true;
          else delete next.noComplaint;
          onChange(next);
        }}
      />
      <Select
        label={t('flows.edit.segment')}
        data={withCurrent(
          [
            { value: NONE, label: t('flows.edit.any') },
            ...(segments.data ?? []).map((s) => ({ value: s.id, label: s.name })),
          ],
          step.segmentId,
        )}
        value={step.segmentId ?? NONE}
        onChange={(v) => {
          const next = { ...step };
          if (v && v !== NONE) next.segmentId = v;
          else delete next.segmentId;
          onChange(next);
        }}
        searchable
        allowDeselect={false}
        error={errorOf('segmentId')}
        maw={420}
      />
      <Checkbox
        label={t('flows.edit.rule')}
        checked={draft !== null}
        disabled={!facts.data}
        onChange={(e) => {
          const next = { ...step };
          if (e.currentTarget.checked && facts.data) {
            const group = newGroup(facts.data.data);
            setDraft(group);
            const rule = toRule(group);
            setIncomplete(rule === null);
            if (rule) next.rule = rule;
          } else {
            setDraft(null);
            setIncomplete(false);
            delete next.rule;
          }
          onChange(next);
        }}
      />
      {draft && facts.data && (
        <GroupEditor
          group={draft}
          path="0"
          facts={facts.data.data}
          currency={currency}
          readOnly={false}
          onChange={(group) => {
            setDraft(group);
            const rule = toRule(group);
            setIncomplete(rule === null);
            if (rule) onChange({ ...step, rule });
          }}
        />
      )}
      {(incomplete || errorOf('rule')) && (
        <Text c="red" size="sm" role="alert">
          {incomplete ? t('flows.edit.ruleIncomplete') : errorOf('rule')}
        </Text>
      )}
      <Select
        label={t('flows.edit.else')}
        data={withCurrent(elseChoices, step.else)}
        value={step.else}
        onChange={(v) => v && onChange({ ...step, else: v })}
        allowDeselect={false}
        error={errorOf('else')}
        maw={420}
      />
    </Stack>
  );
}

function SendFields({
  step,
  onChange,
  errorOf,
  grants,
}: {
  step: Extract<Step, { type: 'send' }>;
  onChange: (s: Step) => void;
  errorOf: FieldErrorOf;
  grants: string[];
}) {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string>) => intl.formatMessage({ id }, values);
  const { membership } = useShop();
  const templates = useQuery({
    queryKey: ['message-templates', membership.id],
    queryFn: loadTemplates,
    retry: false,
  });
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <Select
        label={t('flows.edit.channel')}
        data={(['email', 'sms', 'push'] as const).map((c) => ({
          value: c,
          label: t(`flows.channel.${c}`),
        }))}
        value={step.channel}
        onChange={(v) => v && onChange({ ...step, channel: v as 'email' })}
        allowDeselect={false}
        error={errorOf('channel')}
      />
      <Select
        label={t('flows.edit.template')}
        data={withCurrent(
          (templates.data ?? []).map((tp) => ({ value: tp.key, label: tp.key })),
          step.template,
        )}
        value={step.template}
        onChange={(v) => v && onChange({ ...step, template: v })}
        searchable
        allowDeselect={false}
        error={errorOf('template')}
      />
      <Select
        label={t('flows.edit.purpose')}
        data={(['marketing', 'loyalty', 'feedback'] as const).map((p) => ({
          value: p,
          label: t(`flows.purpose.${p}`),
        }))}
        value={step.purpose}
        onChange={(v) => v && onChange({ ...step, purpose: v as 'marketing' })}
        allowDeselect={false}
        error={errorOf('purpose')}
      />
      <Select
        label={t('flows.edit.withGrant')}
        data={withCurrent(
          [
            { value: NONE, label: t('flows.edit.noGrant') },
            ...grants.map((g) => ({ value: g, label: g })),
          ],
          step.withGrantOf,
        )}
        value={step.withGrantOf ?? NONE}
        onChange={(v) => {
          const next = { ...step };
          if (v && v !== NONE) next.withGrantOf = v;
          else delete next.withGrantOf;
          onChange(next);
        }}
        allowDeselect={false}
        error={errorOf('withGrantOf')}
      />
    </SimpleGrid>
  );
}

function GrantFields({
  grant,
  onChange,
  errorOf,
}: {
  grant: Grant;
  onChange: (g: Grant) => void;
  errorOf: FieldErrorOf;
}) {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string>) => intl.formatMessage({ id }, values);
  const { membership, shop } = useShop();
  const currency = shop?.currency ?? 'PLN';
  const scale = minorScale(currency);
  const rewards = useQuery({
    queryKey: ['rewards', membership.id],
    queryFn: loadRewards,
    enabled: grant.kind === 'reward',
    retry: false,
  });
  const toMinor = (v: Num) => {
    const n = numOrUndefined(v);
    return n === undefined ? undefined : Math.round(n * scale);
  };
  const setDiscount = (discount: Discount) =>
    grant.kind === 'coupon' && onChange({ ...grant, discount });
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <Select
        label={t('flows.edit.grantKind')}
        data={(['points', 'coupon', 'reward'] as const).map((k) => ({
          value: k,
          label: t(`flows.edit.grant.${k}`),
        }))}
        value={grant.kind}
        onChange={(v) =>
          v &&
          onChange(
            v === 'points'
              ? { kind: 'points', points: 100 }
              : v === 'coupon'
                ? { kind: 'coupon', discount: { kind: 'percentage', percent: 10 }, validDays: 14 }
                : { kind: 'reward', rewardId: '' },
          )
        }
        allowDeselect={false}
        error={errorOf('kind')}
      />
      {grant.kind === 'points' && (
        <NumberInput
          label={t('flows.edit.points')}
          value={grant.points}
          onChange={(v) => onChange({ ...grant, points: Number(v) })}
          allowDecimal={false}
          error={errorOf('points')}
        />
      )}
      {grant.kind === 'reward' && (
        <Select
          label={t('flows.edit.reward')}
          data={withCurrent(
            (rewards.data ?? []).map((r) => ({ value: r.id, label: String(r.name) })),
            grant.rewardId,
          )}
          value={grant.rewardId || null}
          onChange={(v) => v && onChange({ kind: 'reward', rewardId: v })}
          searchable
          error={errorOf('rewardId')}
        />
      )}
      {grant.kind === 'coupon' && (
        <>
          <Select
            label={t('flows.edit.discountKind')}
            data={(['percentage', 'fixed', 'free_shipping'] as const).map((k) => ({
              value: k,
              label: t(`flows.edit.discount.${k}`),
            }))}
            value={grant.discount.kind}
            onChange={(v) =>
              v &&
              setDiscount(
                v === 'percentage'
                  ? { kind: 'percentage', percent: 10 }
                  : v === 'fixed'
                    ? { kind: 'fixed', amount: 10 * scale }
                    : { kind: 'free_shipping' },
              )
            }
            allowDeselect={false}
            error={errorOf('discount.kind')}
          />
          {grant.discount.kind === 'percentage' && (
            <NumberInput
              label={t('flows.edit.percent')}
              value={grant.discount.percent}
              onChange={(v) => setDiscount({ kind: 'percentage', percent: Number(v) })}
              decimalScale={2}
              error={errorOf('discount.percent')}
            />
          )}
          {grant.discount.kind === 'fixed' && (
            <NumberInput
              label={t('flows.edit.amount', { currency })}
              value={grant.discount.amount / scale}
              onChange={(v) => setDiscount({ kind: 'fixed', amount: toMinor(v) ?? 0 })}
              decimalScale={Math.log10(scale)}
              error={errorOf('discount.amount')}
            />
          )}
          <NumberInput
            label={t('flows.edit.minBasket', { currency })}
            value={grant.minBasket == null ? '' : grant.minBasket / scale}
            onChange={(v) => onChange({ ...grant, minBasket: toMinor(v) ?? null })}
            decimalScale={Math.log10(scale)}
            error={errorOf('minBasket')}
          />
          <NumberInput
            label={t('flows.edit.validDays')}
            value={grant.validDays}
            onChange={(v) => onChange({ ...grant, validDays: Number(v) })}
            allowDecimal={false}
            error={errorOf('validDays')}
          />
        </>
      )}
    </SimpleGrid>
  );
}

function EndpointField({
  step,
  onChange,
  errorOf,
}: {
  step: Extract<Step, { type: 'webhook' }>;
  onChange: (s: Step) => void;
  errorOf: FieldErrorOf;
}) {
  const intl = useIntl();
  const { membership } = useShop();
  // Only owners and admins may list endpoints: others type the endpoint's id.
  const endpoints = useQuery({
    queryKey: ['webhook-endpoints', membership.id],
    queryFn: loadEndpoints,
    retry: false,
  });
  const label = intl.formatMessage({ id: 'flows.edit.endpoint' });
  if (!endpoints.data)
    return (
      <TextInput
        label={label}
        value={step.endpointId}
        onChange={(e) => onChange({ ...step, endpointId: e.currentTarget.value })}
        error={errorOf('endpointId')}
        maw={420}
      />
    );
  return (
    <Select
      label={label}
      data={withCurrent(
        endpoints.data.map((e) => ({ value: e.id, label: `${e.url} (${e.id})` })),
        step.endpointId,
      )}
      value={step.endpointId || null}
      onChange={(v) => v && onChange({ ...step, endpointId: v })}
      error={errorOf('endpointId')}
      maw={520}
    />
  );
}
