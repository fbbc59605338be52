import { useState } from 'preact/hooks';
import { day } from '../shared/messages.ts';
import type { HistoryEntry } from './api-types.ts';
import { makeFormatters, useEnv } from './state.ts';

type HistoryAnswer =
  HistoryEntry[] | { entries?: HistoryEntry[]; items?: HistoryEntry[]; data?: HistoryEntry[] };

/** The points history, read when the customer opens it. */
export function History() {
  const { ctx, t, locale, currency } = useEnv();
  const f = makeFormatters(locale, currency);
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [shown, setShown] = useState(10);

  async function load() {
    if (entries) return;
    try {
      const answer = await ctx.fetchJson<HistoryAnswer>('/me/history');
      setEntries(
        Array.isArray(answer) ? answer : (answer.entries ?? answer.items ?? answer.data ?? []),
      );
    } catch {
      setFailed(true);
    }
  }

  return (
    <section>
      <details onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && void load()}>
        <summary>
          <h3>{t.historyTitle}</h3>
        </summary>
        {failed ? <p class="error">{t.failed}</p> : null}
        {!entries && !failed ? <p class="muted">{t.loading}</p> : null}
        {entries?.length === 0 ? <p class="muted">{t.historyEmpty}</p> : null}
        {entries?.length ? (
          <ul class="list">
            {entries.slice(0, shown).map((entry) => (
              <li key={entry.id} class="row">
                <span class="col">
                  <span>{entry.description ?? entry.reason ?? entry.kind ?? ''}</span>
                  <span class="muted small">{day(locale, entry.createdAt)}</span>
                </span>
                <strong class={entry.points < 0 ? 'minus' : 'plus'}>
                  {entry.points > 0 ? '+' : entry.points < 0 ? '−' : ''}
                  {f.points(Math.abs(entry.points))}
                </strong>
              </li>
            ))}
          </ul>
        ) : null}
        {entries && entries.length > shown ? (
          <button type="button" class="btn" onClick={() => setShown(shown + 20)}>
            {t.more}
          </button>
        ) : null}
      </details>
    </section>
  );
}
