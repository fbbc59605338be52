import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { StatCard } from '../stat-card.tsx';
import { ProgrammeInPlainWords } from './plain-words.tsx';
import { CAP_SCHEMA, SETTINGS_SCHEMA, useProgramme, useRuleKinds } from './programme-data.ts';
import { emptyValue, SchemaObject, type FieldContext } from './schema-form.tsx';
import { VersionHistory } from './version-history.tsx';
import { programmeOf, type Backtest, type Programme, type Rule, type RuleKind } from './types.ts';

// ECharts loads only when a backtest is drawn, not with the first page.
const loadChart = () => import('./backtest-chart.tsx');
const BacktestChart = lazy(loadChart);

const EDITORS = new Set(['owner', 'admin', 'marketer']);
const PERIODS = [7, 30, 90, 365] as const;

/** The programme: earning rules and settings, a draft, its backtest, publishing, the history. */
export function ProgrammePage() {
  const { membership, shop } = useShop();
  const programme = useProgramme(membership.id);
  const kinds = useRuleKinds(membership.id);
  const canEdit = EDITORS.has(membership.role);
  // Kept here: a save or a publish gives the editor a new key (a fresh draft), not a new note.
  const [notice, setNotice] = useState<Notice>(null);

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        <FormattedMessage id="programme.title" />
      </Title>
      {programme.isPending || kinds.isPending || !shop ? (
        <Loading />
      ) : programme.error ? (
        <Failure error={programme.error} onRetry={() => void programme.refetch()} />
      ) : kinds.error ? (
        <Failure error={kinds.error} onRetry={() => void kinds.refetch()} />
      ) : (
        <Editor
          key={`${programme.data.live.version}-${programme.data.draft?.version ?? 'none'}`}
          state={programme.data}
          kinds={kinds.data}
          canEdit={canEdit}
          notice={notice}
          onNotice={setNotice}
        />
      )}
      <VersionHistory kinds={kinds.data ?? []} />
    </Stack>
  );
}

function newRuleId(code: string, taken: Set<string>): string {
  const base = code
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 32);
  for (;;) {
    const id = `${base}-${Math.random().toString(36).slice(2, 6)}`;
    if (!taken.has(id)) return id;
  }
}

type Notice = { kind: 'saved' } | { kind: 'published'; version: number } | null;

function Editor({
  state,
  kinds,
  canEdit,
  notice,
  onNotice,
}: {
  state: NonNullable<ReturnType<typeof useProgramme>['data']>;
  kinds: RuleKind[];
  canEdit: boolean;
  notice: Notice;
  onNotice: (notice: Notice) => void;
}) {
  const intl = useIntl();
  const { locale } = useLocale();
  const { shop, membership } = useShop();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  // The draft starts from the saved draft, else from the live programme.
  const saved = state.draft ?? state.live;
  const [draft, setDraft] = useState<Programme>(() => programmeOf(saved));
  const [dirty, setDirty] = useState(false);
  const [adding, setAdding] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const kindOf = useMemo(() => new Map(kinds.map((k) => [k.code, k])), [kinds]);
  const kindTitle = (code: string) => kindOf.get(code)?.title[locale];

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['programme', membership.id] }),
      queryClient.invalidateQueries({ queryKey: ['programme-versions', membership.id] }),
    ]);
  const save = useMutation({
    mutationFn: (p: Programme) => api('PUT', '/v1/programme/draft', { body: p }),
    onSuccess: async () => {
      setDirty(false);
      onNotice({ kind: 'saved' });
      await refresh();
    },
  });
  const discard = useMutation({
    mutationFn: () => api('DELETE', '/v1/programme/draft'),
    onSuccess: async () => {
      onNotice(null);
      await refresh();
    },
  });
  const publish = useMutation({
    mutationFn: () => api<{ live: { version: number } }>('POST', '/v1/programme/draft/publish'),
    onSuccess: async (answer) => {
      setConfirming(false);
      onNotice({ kind: 'published', version: answer.live.version });
      await refresh();
    },
  });

  const update = (next: Programme) => {
    setDraft(next);
    setDirty(true);
    onNotice(null);
  };
  const saveError = save.error instanceof ApiError ? save.error : null;
  const ctx: FieldContext = {
    readOnly: !canEdit,
    errorAt: (path) => saveError?.fieldError(path),
  };
  const hasDraft = state.draft !== null;
  const writeError = [save.error, discard.error, publish.error].find(
    (e) => e instanceof ApiError,
  ) as ApiError | undefined;

  const addRule = () => {
    const kind = adding ? kindOf.get(adding) : undefined;
    if (!kind) return;
    const taken = new Set(draft.rules.map((r) => r.id));
    const args = emptyValue(kind.args) as Record<string, unknown>;
    update({
      ...draft,
      rules: [
        ...draft.rules,
        { id: newRuleId(kind.code, taken), code: kind.code, args, active: true },
      ],
    });
    setAdding(null);
  };

  return (
    <Stack gap="md">
      <Group gap="xs" wrap="wrap" data-testid="programme-status">
        <Badge color="teal.9" variant="outline">
          <FormattedMessage id="programme.liveVersion" values={{ version: state.live.version }} />
        </Badge>
        {hasDraft && (
          <Badge color="blue.9" variant="outline">
            <FormattedMessage
              id="programme.draftSaved"
              values={{ version: state.draft!.version }}
            />
          </Badge>
        )}
        {dirty && (
          <Badge color="red.9" variant="outline">
            <FormattedMessage id="programme.unsaved" />
          </Badge>
        )}
      </Group>
      {!canEdit && (
        <Alert color="gray" data-testid="read-only">
          <FormattedMessage id="programme.readOnly" />
        </Alert>
      )}

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="plain-title">
        <Title order={2} size="h4" id="plain-title" mb="xs">
          <FormattedMessage
            id={canEdit && (hasDraft || dirty) ? 'programme.plainDraft' : 'programme.plainLive'}
          />
        </Title>
        <ProgrammeInPlainWords programme={draft} shop={shop!} kindTitle={kindTitle} />
      </Paper>

      <section aria-labelledby="rules-title">
        <Title order={2} size="h4" id="rules-title" mb="xs">
          <FormattedMessage id="programme.rules" />
        </Title>
        <Stack gap="sm">
          {draft.rules.map((rule, i) => (
            <RuleCard
              key={rule.id}
              rule={rule}
              index={i}
              kind={kindOf.get(rule.code)}
              ctx={ctx}
              onChange={(next) =>
                update({ ...draft, rules: draft.rules.map((r, j) => (j === i ? next : r)) })
              }
              onRemove={() => update({ ...draft, rules: draft.rules.filter((_, j) => j !== i) })}
            />
          ))}
          {draft.rules.length === 0 && (
            <Text c="dimmed">
              <FormattedMessage id="programme.noRules" />
            </Text>
          )}
          {canEdit && (
            <Group align="flex-end" wrap="wrap">
              <Select
                label={intl.formatMessage({ id: 'programme.addKind' })}
                data={kinds.map((k) => ({ value: k.code, label: k.title[locale] }))}
                value={adding}
                onChange={setAdding}
                w={280}
                maw="100%"
                data-testid="add-kind"
              />
              <Button variant="default" onClick={addRule} disabled={!adding}>
                <FormattedMessage id="programme.addRule" />
              </Button>
            </Group>
          )}
        </Stack>
      </section>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="settings-title">
        <Title order={2} size="h4" id="settings-title" mb="xs">
          <FormattedMessage id="programme.settings" />
        </Title>
        <SchemaObject
          schema={SETTINGS_SCHEMA}
          value={draft.settings}
          onChange={(settings) => update({ ...draft, settings: settings as Programme['settings'] })}
          path="settings"
          textKey="programme.setting"
          ctx={ctx}
        />
      </Paper>

      {canEdit && (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="draft-title">
          <Title order={2} size="h4" id="draft-title" mb="xs">
            <FormattedMessage id="programme.draft" />
          </Title>
          <Stack gap="sm">
            {writeError?.status === 403 && <Forbidden />}
            {writeError && writeError.status !== 403 && (
              <Alert color="red" role="alert" data-testid="draft-error">
                {writeError.errors.length > 0 ? (
                  <FormattedMessage
                    id="programme.fieldErrors"
                    values={{ count: writeError.errors.length }}
                  />
                ) : (
                  problemText(writeError)
                )}
                {writeError.errors.length > 0 && (
                  <ul>
                    {writeError.errors.map((e) => (
                      <li key={e.path}>
                        {e.path}: {e.message}
                      </li>
                    ))}
                  </ul>
                )}
              </Alert>
            )}
            {notice?.kind === 'saved' && !dirty && (
              <Alert color="green" role="status">
                <FormattedMessage id="programme.savedNote" />
              </Alert>
            )}
            {notice?.kind === 'published' && (
              <Alert color="green" role="status" data-testid="published">
                <FormattedMessage
                  id="programme.publishedNote"
                  values={{ version: notice.version }}
                />
              </Alert>
            )}
            <Group wrap="wrap">
              <Button onClick={() => save.mutate(draft)} loading={save.isPending} disabled={!dirty}>
                <FormattedMessage id="programme.save" />
              </Button>
              <Button
                variant="default"
                onClick={() => discard.mutate()}
                loading={discard.isPending}
                disabled={!hasDraft}
              >
                <FormattedMessage id="programme.discard" />
              </Button>
              <Button onClick={() => setConfirming(true)} disabled={!hasDraft || dirty}>
                <FormattedMessage id="programme.publish" />
              </Button>
            </Group>
            {dirty && hasDraft && (
              <Text size="xs" c="dimmed">
                <FormattedMessage id="programme.saveFirst" />
              </Text>
            )}
          </Stack>
          <Modal
            opened={confirming}
            onClose={() => setConfirming(false)}
            title={intl.formatMessage({ id: 'programme.confirmTitle' })}
            closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'programme.cancel' }) }}
            transitionProps={{ duration: 0 }}
            // Mantine's scroll lock writes a <style> without the page's CSP nonce: refused.
            lockScroll={false}
          >
            <Stack gap="sm">
              <Text size="sm">
                <FormattedMessage
                  id="programme.confirmText"
                  values={{ version: state.draft?.version ?? 0 }}
                />
              </Text>
              {publish.error && <Failure error={publish.error} />}
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setConfirming(false)}>
                  <FormattedMessage id="programme.cancel" />
                </Button>
                <Button onClick={() => publish.mutate()} loading={publish.isPending}>
                  <FormattedMessage id="programme.confirmPublish" />
                </Button>
              </Group>
            </Stack>
          </Modal>
        </Paper>
      )}

      {canEdit && hasDraft && (
        <BacktestPanel disabled={dirty} draftVersion={state.draft!.version} />
      )}
    </Stack>
  );
}

function RuleCard(props: {
  rule: Rule;
  index: number;
  kind: RuleKind | undefined;
  ctx: FieldContext;
  onChange: (rule: Rule) => void;
  onRemove: () => void;
}) {
  const intl = useIntl();
  const { locale } = useLocale();
  const { rule, index, kind, ctx, onChange } = props;
  const path = `rules.${index}`;
  const title = kind?.title[locale] ?? rule.code;
  const ruleError = ctx.errorAt(`${path}.id`) ?? ctx.errorAt(path) ?? ctx.errorAt(`${path}.args`);
  const titleId = `rule-${rule.id}-title`;
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="section"
      aria-labelledby={titleId}
      data-testid={`rule-${rule.id}`}
    >
      <Group justify="space-between" align="flex-start" wrap="wrap" mb="xs">
        <div>
          <Title order={3} size="h5" id={titleId}>
            {title}
          </Title>
          <Text size="xs" c="dimmed">
            <FormattedMessage id="programme.ruleId" values={{ id: rule.id }} />
          </Text>
        </div>
        {ctx.readOnly ? (
          !rule.active && (
            <Badge color="gray.8" variant="outline">
              <FormattedMessage id="programme.inactive" />
            </Badge>
          )
        ) : (
          <Group gap="sm">
            <Switch
              label={intl.formatMessage({ id: 'programme.active' })}
              checked={rule.active}
              onChange={(e) => onChange({ ...rule, active: e.currentTarget.checked })}
            />
            <Button
              variant="default"
              size="xs"
              onClick={props.onRemove}
              aria-label={intl.formatMessage({ id: 'programme.removeRule' }, { title })}
            >
              <FormattedMessage id="programme.remove" />
            </Button>
          </Group>
        )}
      </Group>
      {ruleError && (
        <Text size="sm" c="red.9" role="alert" mb="xs">
          {ruleError}
        </Text>
      )}
      {kind ? (
        <SchemaObject
          schema={kind.args}
          value={rule.args}
          onChange={(args) => onChange({ ...rule, args })}
          path={`${path}.args`}
          textKey={`programme.arg.${rule.code}`}
          ctx={ctx}
        />
      ) : (
        <Text size="sm">{JSON.stringify(rule.args)}</Text>
      )}
      {ctx.readOnly ? (
        rule.cap && (
          <Text size="sm" mt="xs">
            <FormattedMessage
              id="programme.capShort"
              values={{
                period: intl.formatMessage({ id: `programme.cap.period.${rule.cap.period}` }),
                points: rule.cap.points ?? 0,
                times: rule.cap.times ?? 0,
              }}
            />
          </Text>
        )
      ) : (
        <Stack gap="xs" mt="sm">
          <Switch
            label={intl.formatMessage({ id: 'programme.capOn' })}
            checked={rule.cap !== undefined}
            onChange={(e) => {
              const { cap: _cap, ...rest } = rule;
              onChange(e.currentTarget.checked ? { ...rest, cap: { period: 'month' } } : rest);
            }}
          />
          {rule.cap && (
            <SchemaObject
              schema={CAP_SCHEMA}
              value={rule.cap as unknown as Record<string, unknown>}
              onChange={(cap) => onChange({ ...rule, cap: cap as unknown as Rule['cap'] })}
              path={`${path}.cap`}
              textKey="programme.cap"
              ctx={ctx}
            />
          )}
        </Stack>
      )}
    </Paper>
  );
}

function BacktestPanel({ disabled, draftVersion }: { disabled: boolean; draftVersion: number }) {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const [days, setDays] = useState<number>(30);
  const run = useMutation({
    mutationFn: (d: number) =>
      api<Backtest>('POST', '/v1/programme/draft/backtest', { body: { days: d } }),
  });
  useEffect(() => {
    void loadChart();
  }, []);
  const report = run.data;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="backtest-title">
      <Title order={2} size="h4" id="backtest-title" mb="xs">
        <FormattedMessage id="programme.backtest.title" values={{ version: draftVersion }} />
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        <FormattedMessage id="programme.backtest.intro" />
      </Text>
      <Group align="flex-end" wrap="wrap" mb="sm">
        <Select
          label={intl.formatMessage({ id: 'programme.backtest.period' })}
          data={PERIODS.map((p) => ({
            value: String(p),
            label: intl.formatMessage({ id: 'programme.backtest.days' }, { days: p }),
          }))}
          value={String(days)}
          onChange={(v) => v && setDays(Number(v))}
          allowDeselect={false}
          w={200}
        />
        <Button onClick={() => run.mutate(days)} loading={run.isPending} disabled={disabled}>
          <FormattedMessage id="programme.backtest.run" />
        </Button>
      </Group>
      {run.error && <Failure error={run.error} />}
      {report && (
        <Stack gap="sm" data-testid="backtest-result">
          <Text size="sm">
            <FormattedMessage
              id="programme.backtest.replayed"
              values={{
                orders: report.orders,
                customers: report.customers,
                from: fmt.day(report.from.slice(0, 10)),
                to: fmt.day(report.to.slice(0, 10)),
              }}
            />
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            <StatCard
              testId="backtest-points"
              label={intl.formatMessage({ id: 'programme.backtest.points' })}
              value={intl.formatMessage(
                { id: 'programme.backtest.pointsValue' },
                { count: report.draft.points },
              )}
              detail={intl.formatMessage(
                { id: 'programme.backtest.vsLive' },
                { live: fmt.number(report.live.points) },
              )}
            />
            <StatCard
              testId="backtest-difference"
              label={intl.formatMessage({ id: 'programme.backtest.difference' })}
              value={`${report.difference > 0 ? '+' : ''}${fmt.number(report.difference)}`}
            />
            <StatCard
              testId="backtest-cost"
              label={intl.formatMessage({ id: 'programme.backtest.cost' })}
              value={fmt.money(report.draft.cost.amount)}
              detail={intl.formatMessage(
                { id: 'programme.backtest.vsLive' },
                { live: fmt.money(report.live.cost.amount) },
              )}
            />
            <StatCard
              testId="backtest-affected"
              label={intl.formatMessage({ id: 'programme.backtest.affected' })}
              value={fmt.number(report.customersAffected)}
              detail={intl.formatMessage(
                { id: 'programme.backtest.ofCustomers' },
                { count: report.customers },
              )}
            />
          </SimpleGrid>
          <Suspense fallback={<Loading />}>
            <BacktestChart report={report} money={fmt.money} />
          </Suspense>
        </Stack>
      )}
    </Paper>
  );
}
