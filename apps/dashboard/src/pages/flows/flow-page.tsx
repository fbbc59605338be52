import { useState, type FormEvent, type ReactNode } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import { MARKETING, useCan } from '../../ui/roles.ts';
import { Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import {
  EXIT_TYPES,
  loadFlow,
  loadResults,
  newStep,
  STEP_TYPES,
  updateFlow,
  type Flow,
  type FlowDefinition,
  type Reentry,
  type Step,
  type StepType,
} from './flows-data.ts';
import { FlowResultsView } from './flow-results.tsx';
import { StatusBadge } from './flows-page.tsx';
import { useFlowText } from './flow-text.ts';
import { StepForm, TriggerForm, type FieldErrorOf } from './step-form.tsx';

/** One flow: its steps from the top (edited in place, saved as a new version) and its results. */
export function FlowPage() {
  const { flowId } = useParams({ from: '/signed-in/flows/$flowId' });
  const { membership } = useShop();
  const flow = useQuery({
    queryKey: ['flow', membership.id, flowId],
    queryFn: () => loadFlow(flowId),
  });
  const results = useQuery({
    queryKey: ['flow-results', membership.id, flowId],
    queryFn: () => loadResults(flowId),
  });

  let body;
  if (flow.isPending) body = <Loading />;
  else if (flow.error) body = <Failure error={flow.error} onRetry={() => void flow.refetch()} />;
  else
    body = (
      <>
        <FlowHeader flow={flow.data} />
        <FlowEditor key={flow.data.id} flow={flow.data} />
        {results.isPending ? (
          <Loading />
        ) : results.error ? (
          <Failure error={results.error} onRetry={() => void results.refetch()} />
        ) : (
          <FlowResultsView results={results.data} definition={flow.data.definition} />
        )}
      </>
    );

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/flows" size="sm">
        ← <FormattedMessage id="flows.flow.back" />
      </Anchor>
      <Title order={1} size="h2">
        {flow.data?.name ?? <FormattedMessage id="flows.title" />}
      </Title>
      {body}
    </Stack>
  );
}

function FlowHeader({ flow }: { flow: Flow }) {
  const intl = useIntl();
  const canEdit = useCan(MARKETING);
  const { membership } = useShop();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const status = useMutation({
    mutationFn: (next: 'active' | 'paused') => updateFlow(flow.id, { status: next }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['flow', membership.id, flow.id] });
      await queryClient.invalidateQueries({ queryKey: ['flow-results', membership.id, flow.id] });
      await queryClient.invalidateQueries({ queryKey: ['flows', membership.id] });
    },
  });
  return (
    <Stack gap="xs">
      <Group gap="sm">
        <StatusBadge status={flow.status} />
        <Text size="sm" data-testid="flow-version">
          <FormattedMessage id="flows.flow.version" values={{ version: flow.version }} />
        </Text>
      </Group>
      {flow.status === 'paused' && (
        <Alert color="orange" variant="light">
          <FormattedMessage id="flows.flow.paused" />
        </Alert>
      )}
      {canEdit && flow.status !== 'archived' && (
        <Group gap="sm" align="center">
          <Button
            size="xs"
            variant={flow.status === 'active' ? 'default' : 'filled'}
            loading={status.isPending}
            onClick={() => status.mutate(flow.status === 'active' ? 'paused' : 'active')}
          >
            <FormattedMessage
              id={flow.status === 'active' ? 'flows.flow.pause' : 'flows.flow.resume'}
            />
          </Button>
          {flow.status === 'active' && (
            <Text size="xs" c="dimmed" maw={560}>
              <FormattedMessage id="flows.flow.pauseHint" />
            </Text>
          )}
        </Group>
      )}
      {status.error instanceof ApiError && status.error.status === 403 && <Forbidden />}
      {status.error && !(status.error instanceof ApiError && status.error.status === 403) && (
        <Alert color="red" role="alert">
          {problemText(status.error)}
        </Alert>
      )}
      {status.isSuccess && (
        <Text size="sm" role="status">
          <FormattedMessage
            id="flows.flow.statusSaved"
            values={{ status: intl.formatMessage({ id: `flows.status.${status.data.status}` }) }}
          />
        </Text>
      )}
    </Stack>
  );
}

let nextStepNumber = 1;
const freshId = (type: StepType, steps: Step[]) => {
  let id = `${type}-${nextStepNumber++}`;
  while (steps.some((s) => s.id === id)) id = `${type}-${nextStepNumber++}`;
  return id;
};

function FlowEditor({ flow }: { flow: Flow }) {
  const intl = useIntl();
  const canEdit = useCan(MARKETING);
  const { membership } = useShop();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const text = useFlowText();
  const [draft, setDraft] = useState<FlowDefinition>(() => structuredClone(flow.definition));
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [adding, setAdding] = useState<StepType>('wait');
  const save = useMutation({
    mutationFn: () => updateFlow(flow.id, { definition: draft, expectedVersion: flow.version }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['flow', membership.id, flow.id], saved);
      setDraft(structuredClone(saved.definition));
      await queryClient.invalidateQueries({ queryKey: ['flow-results', membership.id, flow.id] });
      await queryClient.invalidateQueries({ queryKey: ['flows', membership.id] });
    },
    onError: (error) => {
      // Open every step the server found fault with, so its fields show their errors.
      if (!(error instanceof ApiError)) return;
      const marked = new Set(open);
      for (const e of error.errors) {
        const m = /^definition\.(steps\.(\d+)|trigger)/.exec(e.path);
        if (m?.[2] !== undefined) marked.add(String(Number(m[2])));
        else if (m) marked.add('trigger');
      }
      setOpen(marked);
    },
  });
  const saveError = save.error instanceof ApiError ? save.error : null;
  const errorOf: FieldErrorOf = (path) => saveError?.fieldError(`definition.${path}`);
  const errorsWithin = (prefix: string) =>
    saveError?.errors.filter(
      (e) => e.path === `definition.${prefix}` || e.path.startsWith(`definition.${prefix}.`),
    ) ?? [];
  const dirty = JSON.stringify(draft) !== JSON.stringify(flow.definition);
  const next = flow.version + 1;

  const change = (fn: (d: FlowDefinition) => void, structural = false) => {
    setDraft((d) => {
      const copy = structuredClone(d);
      fn(copy);
      return copy;
    });
    // Errors name steps by place: after a move they would point at the wrong step.
    if (structural) save.reset();
  };
  const toggle = (key: string) =>
    setOpen((o) => {
      const copy = new Set(o);
      if (copy.has(key)) copy.delete(key);
      else copy.add(key);
      return copy;
    });
  const move = (i: number, by: -1 | 1) => {
    change((d) => {
      const [s] = d.steps.splice(i, 1);
      d.steps.splice(i + by, 0, s!);
    }, true);
    setOpen(new Set());
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  const savedActive =
    save.isSuccess && saveError === null
      ? (
          queryClient.getQueryData<{ versions: Array<{ version: number; active: number }> }>([
            'flow-results',
            membership.id,
            flow.id,
          ])?.versions ?? []
        )
          .filter((v) => v.version < save.data.version)
          .reduce((sum, v) => sum + v.active, 0)
      : 0;

  const stepNumberLabel = (i: number, s: Step) =>
    `${intl.formatMessage({ id: 'flows.step.number' }, { n: i + 1 })} · ${intl.formatMessage({ id: `flows.step.${s.type}` })}`;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="flow-steps-title">
      <Group justify="space-between" align="baseline">
        <Title order={2} size="h4" id="flow-steps-title">
          <FormattedMessage id="flows.edit.title" />
        </Title>
        {dirty && (
          <Text size="sm" fw={700} role="status">
            <FormattedMessage id="flows.edit.unsaved" />
          </Text>
        )}
      </Group>
      <Text size="sm" mb="md">
        {canEdit ? (
          <FormattedMessage id="flows.edit.intro" values={{ next }} />
        ) : (
          <FormattedMessage id="flows.readOnly" />
        )}
      </Text>
      <form onSubmit={submit} noValidate>
        <Timeline bulletSize={30} lineWidth={2} active={-1} role="list" data-testid="flow-steps">
          <Timeline.Item
            role="listitem"
            bullet={<span aria-hidden="true">▶</span>}
            data-testid="flow-trigger"
            title={
              <StepHeading
                label={intl.formatMessage({ id: 'flows.trigger.title' })}
                summary={text.trigger(draft.trigger)}
                error={errorsWithin('trigger').length > 0}
                actions={
                  canEdit && (
                    <Button
                      size="compact-xs"
                      variant="light"
                      aria-expanded={open.has('trigger')}
                      onClick={() => toggle('trigger')}
                    >
                      {intl.formatMessage({
                        id: open.has('trigger')
                          ? 'flows.edit.closeTrigger'
                          : 'flows.edit.editTrigger',
                      })}
                    </Button>
                  )
                }
              />
            }
          >
            {canEdit && open.has('trigger') && (
              <TriggerForm
                trigger={draft.trigger}
                onChange={(trigger) => change((d) => void (d.trigger = trigger))}
                errorOf={(f) => errorOf(`trigger${f ? `.${f}` : ''}`)}
              />
            )}
          </Timeline.Item>
          {draft.steps.map((s, i) => {
            const key = String(i);
            const label = intl.formatMessage({ id: `flows.step.${s.type}` });
            const problems = errorsWithin(`steps.${i}`);
            return (
              <Timeline.Item
                key={`${i}:${s.type}`}
                role="listitem"
                bullet={<span aria-hidden="true">{i + 1}</span>}
                data-testid={`step-${i + 1}`}
                data-step-id={s.id}
                title={
                  <StepHeading
                    label={stepNumberLabel(i, s)}
                    summary={text.step(s)}
                    error={problems.length > 0}
                    actions={
                      canEdit && (
                        <Group gap={4} wrap="nowrap">
                          <Button
                            size="compact-xs"
                            variant="light"
                            aria-expanded={open.has(key)}
                            aria-label={intl.formatMessage(
                              { id: open.has(key) ? 'flows.edit.close' : 'flows.edit.editStep' },
                              { n: i + 1, label },
                            )}
                            onClick={() => toggle(key)}
                          >
                            <FormattedMessage
                              id={open.has(key) ? 'flows.edit.closeShort' : 'flows.edit.edit'}
                            />
                          </Button>
                          <ActionIcon
                            variant="subtle"
                            color="gray.8"
                            size="sm"
                            disabled={i === 0}
                            aria-label={intl.formatMessage({ id: 'flows.edit.up' }, { n: i + 1 })}
                            onClick={() => move(i, -1)}
                          >
                            ↑
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            color="gray.8"
                            size="sm"
                            disabled={i === draft.steps.length - 1}
                            aria-label={intl.formatMessage({ id: 'flows.edit.down' }, { n: i + 1 })}
                            onClick={() => move(i, 1)}
                          >
                            ↓
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            color="red.9"
                            size="sm"
                            disabled={draft.steps.length === 1}
                            aria-label={intl.formatMessage(
                              { id: 'flows.edit.remove' },
                              { n: i + 1 },
                            )}
                            onClick={() => {
                              change((d) => void d.steps.splice(i, 1), true);
                              setOpen(new Set());
                            }}
                          >
                            ✕
                          </ActionIcon>
                        </Group>
                      )
                    }
                  />
                }
              >
                {problems
                  .filter((p) => p.path === `definition.steps.${i}`)
                  .map((p) => (
                    <Text key={p.path} size="sm" c="red.9">
                      {p.message}
                    </Text>
                  ))}
                {canEdit && open.has(key) && (
                  <StepForm
                    step={s}
                    steps={draft.steps}
                    index={i}
                    onChange={(step) => change((d) => void (d.steps[i] = step))}
                    errorOf={(f) => errorOf(`steps.${i}.${f}`)}
                  />
                )}
              </Timeline.Item>
            );
          })}
        </Timeline>

        {canEdit && (
          <Stack gap="md" mt="md">
            <Group align="flex-end" gap="xs">
              <Select
                label={intl.formatMessage({ id: 'flows.edit.addType' })}
                data={STEP_TYPES.map((t) => ({
                  value: t,
                  label: intl.formatMessage({ id: `flows.step.${t}` }),
                }))}
                value={adding}
                onChange={(v) => v && setAdding(v as StepType)}
                allowDeselect={false}
                w={220}
              />
              <Button
                variant="light"
                disabled={draft.steps.length >= 50}
                onClick={() => {
                  const at = draft.steps.length;
                  change((d) => void d.steps.push(newStep(adding, freshId(adding, d.steps), [])));
                  setOpen((o) => new Set([...o, String(at)]));
                }}
              >
                <FormattedMessage id="flows.edit.add" />
              </Button>
            </Group>
            <ExitsAndReentry draft={draft} change={(fn) => change(fn)} errorOf={errorOf} />
            {saveError?.status === 403 && <Forbidden />}
            {saveError && saveError.status !== 403 && (
              <Alert color="red" role="alert">
                {saveError.errors.length > 0 ? (
                  <FormattedMessage id="flows.edit.fix" />
                ) : saveError.status === 409 ? (
                  <FormattedMessage id="flows.edit.conflict" />
                ) : (
                  problemText(saveError)
                )}
              </Alert>
            )}
            {save.isSuccess && (
              <Alert color="green" role="status" data-testid="flow-saved">
                <FormattedMessage
                  id="flows.edit.saved"
                  values={{ version: save.data.version, active: savedActive }}
                />
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={save.isPending} disabled={!dirty}>
                <FormattedMessage id="flows.edit.save" values={{ next }} />
              </Button>
              <Button
                variant="default"
                disabled={!dirty}
                onClick={() => {
                  save.reset();
                  setDraft(structuredClone(flow.definition));
                }}
              >
                <FormattedMessage id="flows.edit.reset" />
              </Button>
            </Group>
          </Stack>
        )}
      </form>
    </Paper>
  );
}

function StepHeading({
  label,
  summary,
  error,
  actions,
}: {
  label: string;
  summary: string;
  error: boolean;
  actions: ReactNode;
}) {
  return (
    <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
      <div style={{ flex: '1 1 240px', minWidth: 0 }}>
        <Text fw={700} size="sm" c={error ? 'red.9' : undefined}>
          {label}
        </Text>
        <Text size="sm" data-testid="step-summary">
          {summary}
        </Text>
      </div>
      {actions}
    </Group>
  );
}

function ExitsAndReentry({
  draft,
  change,
  errorOf,
}: {
  draft: FlowDefinition;
  change: (fn: (d: FlowDefinition) => void) => void;
  errorOf: FieldErrorOf;
}) {
  const intl = useIntl();
  return (
    <Stack gap="sm">
      <Checkbox.Group
        label={intl.formatMessage({ id: 'flows.edit.exits' })}
        value={draft.exitOn.map((e) => e.type)}
        onChange={(values) =>
          change((d) => {
            d.exitOn = EXIT_TYPES.filter((t) => values.includes(t)).map((type) => ({ type }));
          })
        }
        error={errorOf('exitOn')}
      >
        <Stack gap={4} mt={4}>
          {EXIT_TYPES.map((t) => (
            <Checkbox key={t} value={t} label={intl.formatMessage({ id: `flows.exit.${t}` })} />
          ))}
        </Stack>
      </Checkbox.Group>
      <Group align="flex-start">
        <Select
          label={intl.formatMessage({ id: 'flows.edit.reentry' })}
          data={(['never', 'always', 'after_days'] as const).map((m) => ({
            value: m,
            label: intl.formatMessage({ id: `flows.reentry.${m}` }),
          }))}
          value={draft.reentry.mode}
          onChange={(v) =>
            v &&
            change((d) => {
              d.reentry = (v === 'after_days' ? { mode: v, days: 90 } : { mode: v }) as Reentry;
            })
          }
          allowDeselect={false}
          w={{ base: '100%', sm: 420 }}
          error={errorOf('reentry.mode')}
        />
        {draft.reentry.mode === 'after_days' && (
          <NumberInput
            label={intl.formatMessage({ id: 'flows.edit.reentryDays' })}
            value={draft.reentry.days}
            onChange={(v) =>
              change((d) => {
                if (d.reentry.mode === 'after_days') d.reentry.days = Number(v);
              })
            }
            allowDecimal={false}
            error={errorOf('reentry.days')}
            w={200}
          />
        )}
      </Group>
    </Stack>
  );
}
