import { useIntl } from 'react-intl';
import { useShopFormat } from '../../i18n/format.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import type { Step, Trigger } from './flows-data.ts';

/** A flow's start and steps in words ("Wait 2 days, then until 10:00 shop time"). */
export function useFlowText() {
  const intl = useIntl();
  const { locale } = useLocale();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const t = (id: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id }, values);
  const list = (parts: string[]) =>
    new Intl.ListFormat(locale === 'pl' ? 'pl' : 'en-GB', { type: 'conjunction' }).format(parts);

  const trigger = (tr: Trigger): string => {
    const name = t(`flows.triggerType.${tr.type}`);
    let detail: string | null = null;
    if (tr.type === 'order.paid' && tr.nth !== undefined) detail = t('flows.trigger.nth', tr);
    if (tr.type === 'points.expiring') detail = t('flows.trigger.daysAhead', { days: tr.days });
    if (tr.type === 'customer.dormant') detail = t('flows.trigger.dormant', { days: tr.days });
    if (tr.type === 'points.milestone')
      detail = t('flows.trigger.points', { points: fmt.number(tr.points) });
    if (tr.type === 'tier.changed' && tr.direction)
      detail = t(`flows.trigger.direction.${tr.direction}`);
    if (tr.type === 'survey.answered' && tr.category)
      detail = t(`flows.trigger.category.${tr.category}`);
    if (tr.type === 'activity') detail = t('flows.trigger.activity', tr);
    return detail ? `${name}: ${detail}` : name;
  };

  const duration = (d: { days?: number; hours?: number; minutes?: number }) =>
    list(
      [
        d.days ? t('flows.unit.days', { n: d.days }) : null,
        d.hours ? t('flows.unit.hours', { n: d.hours }) : null,
        d.minutes ? t('flows.unit.minutes', { n: d.minutes }) : null,
      ].filter((p): p is string => p !== null),
    ) || t('flows.unit.minutes', { n: 0 });

  const step = (s: Step, names: { reward?: (id: string) => string } = {}): string => {
    switch (s.type) {
      case 'wait':
        if (s.duration && s.untilTime)
          return t('flows.sum.waitUntil', { duration: duration(s.duration), time: s.untilTime });
        if (s.untilTime) return t('flows.sum.until', { time: s.untilTime });
        return t('flows.sum.wait', { duration: duration(s.duration ?? {}) });
      case 'condition': {
        const what = [
          s.noComplaint ? t('flows.cond.noComplaint') : null,
          s.segmentId ? t('flows.cond.segment', { segment: s.segmentId }) : null,
          s.rule !== undefined ? t('flows.cond.rule') : null,
        ].filter((p): p is string => p !== null);
        return t('flows.sum.condition', {
          what: what.length ? list(what) : t('flows.cond.always'),
          otherwise:
            s.else === 'exit' ? t('flows.cond.exit') : t('flows.cond.goto', { step: s.else }),
        });
      }
      case 'send': {
        const text = t('flows.sum.send', {
          channel: t(`flows.channel.${s.channel}`),
          template: s.template,
          purpose: t(`flows.purpose.${s.purpose}`),
        });
        return s.withGrantOf
          ? `${text}, ${t('flows.sum.withGrant', { step: s.withGrantOf })}`
          : text;
      }
      case 'grant': {
        const g = s.grant;
        if (g.kind === 'points') return t('flows.sum.points', { points: g.points });
        if (g.kind === 'reward')
          return t('flows.sum.reward', { reward: names.reward?.(g.rewardId) ?? g.rewardId });
        const d = g.discount;
        const discount =
          d.kind === 'percentage'
            ? t('flows.discount.percentage', { percent: fmt.number(d.percent) })
            : d.kind === 'fixed'
              ? t('flows.discount.fixed', { amount: fmt.money(d.amount) })
              : t('flows.discount.free_shipping');
        const text = t('flows.sum.coupon', {
          discount,
          days: t('flows.unit.days', { n: g.validDays }),
        });
        return g.minBasket
          ? `${text}, ${t('flows.sum.minBasket', { amount: fmt.money(g.minBasket) })}`
          : text;
      }
      case 'split': {
        const total = s.variants.reduce((sum, v) => sum + v.weight, 0) + s.holdoutWeight;
        const share = (w: number) => fmt.percent(total > 0 ? w / total : 0);
        const variants = list(
          s.variants.map((v) =>
            v.goto
              ? t('flows.sum.variantGoto', { key: v.key, share: share(v.weight), step: v.goto })
              : t('flows.sum.variant', { key: v.key, share: share(v.weight) }),
          ),
        );
        return s.holdoutWeight > 0
          ? t('flows.sum.split', { variants, holdout: share(s.holdoutWeight) })
          : t('flows.sum.splitNoHoldout', { variants });
      }
      case 'webhook':
        return t('flows.sum.webhook', { endpoint: s.endpointId || '—' });
      case 'task':
        return t('flows.sum.task', { title: s.title });
    }
  };

  return { trigger, step, duration };
}
