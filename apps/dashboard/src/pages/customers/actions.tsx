import { useState, type FormEvent, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import { Forbidden } from '../../ui/states.tsx';
import { fieldProblem } from '../../ui/field-error.ts';
import { useProblemText } from '../problem-text.tsx';
import { customerKey, useLocalName, useTiers, type Customer360 } from './data.ts';

const path = (customerId: string, tail: string) =>
  `/v1/customers/${encodeURIComponent(customerId)}/${tail}`;

/** A write about this customer that refreshes the page (and the list) when it lands. */
function useCustomerWrite<T>(customerId: string, write: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  const { membership } = useShop();
  return useMutation({
    mutationFn: write,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: customerKey(membership.id, customerId) });
      await queryClient.invalidateQueries({ queryKey: ['customers', membership.id] });
    },
  });
}

/** A refusal (403), or any failure without field errors, said once above the form. */
function FormProblem({ error }: { error: unknown }) {
  const problemText = useProblemText();
  if (!(error instanceof ApiError))
    return error ? <Alert color="red">{String(error)}</Alert> : null;
  if (error.status === 403) return <Forbidden />;
  if (error.errors.length > 0) return null;
  return (
    <Alert color="red" role="alert">
      {problemText(error)}
    </Alert>
  );
}

function ActionCard({
  id,
  title,
  children,
}: {
  id: string;
  title: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Title order={3} size="h5" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

export function AdjustPointsForm({ customerId }: { customerId: string }) {
  const intl = useIntl();
  const [points, setPoints] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const adjust = useCustomerWrite(customerId, (body: { points: number; reason: string }) =>
    api('POST', path(customerId, 'adjustments'), { body }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    adjust.mutate(
      { points: Number(points), reason },
      {
        onSuccess: () => {
          setPoints('');
          setReason('');
        },
      },
    );
  };
  return (
    <ActionCard id="adjust-title" title={<FormattedMessage id="customers.adjust.title" />}>
      <form onSubmit={submit} noValidate data-testid="adjust-form">
        <Stack gap="sm">
          <FormProblem error={adjust.error} />
          {adjust.isSuccess && (
            <Alert color="green" role="status">
              <FormattedMessage id="customers.adjust.done" />
            </Alert>
          )}
          <NumberInput
            label={intl.formatMessage({ id: 'customers.adjust.points' })}
            description={intl.formatMessage({ id: 'customers.adjust.pointsHint' })}
            value={points}
            onChange={setPoints}
            allowDecimal={false}
            required
            error={fieldProblem(adjust.error, 'points')}
          />
          <TextInput
            label={intl.formatMessage({ id: 'customers.adjust.reason' })}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            maxLength={500}
            error={fieldProblem(adjust.error, 'reason')}
          />
          <Group>
            <Button type="submit" loading={adjust.isPending}>
              <FormattedMessage id="customers.adjust.submit" />
            </Button>
          </Group>
        </Stack>
      </form>
    </ActionCard>
  );
}

export function TierOverrideForm({
  customerId,
  tier,
}: {
  customerId: string;
  tier: Customer360['customer']['tier'];
}) {
  const intl = useIntl();
  const tiers = useTiers();
  const localName = useLocalName();
  const [tierId, setTierId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const assign = useCustomerWrite(customerId, (body: { tierId: string; reason: string }) =>
    api('POST', path(customerId, 'tier'), { body }),
  );
  const remove = useCustomerWrite(customerId, (why: string) =>
    api('DELETE', path(customerId, 'tier'), { query: { reason: why || undefined } }),
  );
  if (!tiers.data) return null; // no tier programme: nothing to assign
  const submit = (event: FormEvent) => {
    event.preventDefault();
    assign.mutate({ tierId: tierId ?? '', reason }, { onSuccess: () => setReason('') });
  };
  return (
    <ActionCard id="tier-title" title={<FormattedMessage id="customers.tierOverride.title" />}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormProblem error={assign.error ?? remove.error} />
          <Select
            label={intl.formatMessage({ id: 'customers.tierOverride.tier' })}
            data={tiers.data.tiers.map((t) => ({ value: t.id, label: localName(t.name) }))}
            value={tierId}
            onChange={setTierId}
            required
            error={fieldProblem(assign.error, 'tierId')}
          />
          <TextInput
            label={intl.formatMessage({ id: 'customers.tierOverride.reason' })}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            maxLength={500}
            error={fieldProblem(assign.error, 'reason')}
          />
          <Group>
            <Button type="submit" loading={assign.isPending} disabled={!tierId}>
              <FormattedMessage id="customers.tierOverride.submit" />
            </Button>
            {tier?.current?.manual && (
              <Button
                variant="default"
                loading={remove.isPending}
                onClick={() => remove.mutate(reason)}
              >
                <FormattedMessage id="customers.tierOverride.remove" />
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </ActionCard>
  );
}

export function NoteForm({ customerId }: { customerId: string }) {
  const intl = useIntl();
  const [body, setBody] = useState('');
  const add = useCustomerWrite(customerId, (text: string) =>
    api('POST', path(customerId, 'notes'), { body: { body: text } }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(body, { onSuccess: () => setBody('') });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        <FormProblem error={add.error} />
        <Textarea
          label={intl.formatMessage({ id: 'customers.note.label' })}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={5000}
          error={fieldProblem(add.error, 'body')}
        />
        <Group>
          <Button type="submit" size="xs" loading={add.isPending}>
            <FormattedMessage id="customers.note.submit" />
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function TaskForm({ customerId }: { customerId: string }) {
  const intl = useIntl();
  const [title, setTitle] = useState('');
  const add = useCustomerWrite(customerId, (text: string) =>
    api('POST', path(customerId, 'tasks'), { body: { title: text } }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(title, { onSuccess: () => setTitle('') });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        <FormProblem error={add.error} />
        <Group align="flex-end" gap="xs" wrap="wrap">
          <TextInput
            label={intl.formatMessage({ id: 'customers.task.label' })}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            maxLength={500}
            error={fieldProblem(add.error, 'title')}
            style={{ flex: '1 1 200px' }}
          />
          <Button type="submit" size="sm" loading={add.isPending}>
            <FormattedMessage id="customers.task.submit" />
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ResolveTaskButton({
  customerId,
  taskId,
  title,
}: {
  customerId: string;
  taskId: string;
  title: string;
}) {
  const intl = useIntl();
  const close = useCustomerWrite(customerId, () =>
    api('POST', `/v1/tasks/${encodeURIComponent(taskId)}/close`, { body: { status: 'done' } }),
  );
  return (
    <Stack gap={4} align="flex-end">
      <Button
        size="xs"
        variant="default"
        loading={close.isPending}
        onClick={() => close.mutate(undefined)}
        aria-label={intl.formatMessage({ id: 'customers.task.resolveNamed' }, { title })}
      >
        <FormattedMessage id="customers.task.resolve" />
      </Button>
      <FormProblem error={close.error} />
    </Stack>
  );
}

/** RODO erasure: only once the person types the customer's id, as a check of intent. */
export function EraseForm({ customerId }: { customerId: string }) {
  const intl = useIntl();
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  // Accepted at once, applied by the event processor a moment later: wait for it (up to half a
  // minute) so the page shows the customer erased, not as they were.
  const erase = useCustomerWrite(customerId, async (why: string) => {
    const accepted = await api<{ id: string }>('POST', path(customerId, 'erasure'), {
      body: { reason: why },
    });
    for (let i = 0; i < 60; i++) {
      const event = await api<{ status: string }>('GET', `/v1/events/${accepted.id}`);
      if (event.status !== 'pending' && event.status !== 'waiting') return event;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return accepted;
  });
  const confirmed = typed.trim() === customerId;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (confirmed) erase.mutate(reason);
  };
  return (
    <ActionCard id="erase-title" title={<FormattedMessage id="customers.erase.title" />}>
      <form onSubmit={submit} noValidate data-testid="erase-form">
        <Stack gap="sm">
          <Text size="sm">
            <FormattedMessage id="customers.erase.explain" />
          </Text>
          <FormProblem error={erase.error} />
          {erase.isSuccess && (
            <Alert color="green" role="status">
              <FormattedMessage id="customers.erase.done" />
            </Alert>
          )}
          <TextInput
            label={intl.formatMessage({ id: 'customers.erase.reason' })}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
            error={fieldProblem(erase.error, 'reason')}
          />
          <TextInput
            label={intl.formatMessage({ id: 'customers.erase.confirm' }, { id: customerId })}
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            autoComplete="off"
          />
          <Group>
            <Button type="submit" color="red" disabled={!confirmed} loading={erase.isPending}>
              <FormattedMessage id="customers.erase.submit" />
            </Button>
          </Group>
        </Stack>
      </form>
    </ActionCard>
  );
}
