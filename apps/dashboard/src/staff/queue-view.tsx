import { problemText } from './api.ts';
import { useT, type Translate } from './i18n.ts';
import { flush, removeAction, type QueuedAction } from './queue.ts';

function describe(action: QueuedAction, t: Translate): string {
  const who = action.label.who ?? t('action.qr');
  switch (action.kind) {
    case 'stamp':
      return t('action.stampFor', { who });
    case 'purchase':
      return t('action.purchase', { who, amount: action.label.amount ?? '' });
    case 'redeem':
      return t('action.redeem', { who });
    case 'useReward':
      return t('action.useReward', { who, reward: action.label.reward ?? '' });
    case 'signUp':
      return t('action.signUp', { who });
    case 'giftCard':
      return t('action.giftCard', { amount: action.label.amount ?? '' });
  }
}

/** What waits on this device to be sent, and what the server refused, with its reason. */
export function QueueView({ actions, timeZone }: { actions: QueuedAction[]; timeZone: string }) {
  const { t, lang } = useT();
  const pending = actions.filter((a) => a.status === 'pending').length;
  const failed = actions.filter((a) => a.status === 'failed').length;
  const time = new Intl.DateTimeFormat(lang === 'pl' ? 'pl-PL' : 'en-GB', {
    timeStyle: 'short',
    timeZone,
  });
  return (
    <section className="stack" aria-labelledby="queue-title">
      <h2 id="queue-title">{t('queue.title')}</h2>
      <p role="status" data-testid="queue-summary">
        {pending === 0 && failed === 0
          ? t('queue.empty')
          : [
              pending > 0 ? t('queue.pending', { n: pending }) : '',
              failed > 0 ? t('queue.failed', { n: failed }) : '',
            ]
              .filter(Boolean)
              .join(' · ')}
      </p>
      {pending > 0 && (
        <button type="button" className="primary" onClick={() => void flush()}>
          {t('queue.sendNow')}
        </button>
      )}
      <ul className="plain" data-testid="queue-list">
        {actions.map((action) => (
          <li
            key={action.key}
            className={`queued-item ${action.status}`}
            data-status={action.status}
          >
            <div>
              <strong>{describe(action, t)}</strong>{' '}
              <span className="muted">
                {time.format(new Date(action.takenAt))} ·{' '}
                {action.status === 'pending' ? t('queue.statusPending') : t('queue.statusFailed')}
              </span>
            </div>
            {action.problem && <p className="field-error">{problemText(action.problem, lang)}</p>}
            {action.status === 'failed' && (
              <button
                type="button"
                className="secondary"
                onClick={() => void removeAction(action.key).then(() => flush())}
              >
                {t('queue.dismiss')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
