import { useState } from 'preact/hooks';
import { day } from '../shared/messages.ts';
import type { HistoryEntry } from './api-types.ts';
import { makeFormatters, useEnv } from './state.ts';

interface HistoryPage {
  data: HistoryEntry[];
  nextBefore: string | null;
}

/** The points history, newest first, read when the customer opens it, 20 entries a page. */
export function History() {
  const { ctx, t, locale, currency } = useEnv();
  const f = makeFormatters(locale, currency);
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  async function load(before: string | null) {
    try {
      const page = await ctx.fetchJson<HistoryPage>(
        `/me/history${before ? `?before=${encodeURIComponent(before)}` : ''}`,
      );
      setEntries((known) => [...(before ? (known ?? []) : []), ...page.data]);
      setNext(page.nextBefore);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }

  return (
    <section>
      <details
        onToggle={(e) => {
          if ((e.currentTarget as HTMLDetailsElement).open && !entries) void load(null);
        }}
      >
        <summary>
          <h3>{t.historyTitle}</h3>
        </summary>
        {failed ? <p class="error">{t.failed}</p> : null}
        {!entries && !failed ? <p class="muted">{t.loading}</p> : null}
        {entries?.length === 0 ? <p class="muted">{t.historyEmpty}</p> : null}
        {entries?.length ? (
          <ul class="list" data-testid="history">
            {entries.map((entry) => (
              <li key={entry.id} class="row">
                <span class="col">
                  <span>{entry.text}</span>
                  <span class="muted small">{day(locale, entry.at)}</span>
                </span>
                <strong class={entry.points < 0 ? 'minus' : 'plus'}>
                  {entry.points > 0 ? '+' : entry.points < 0 ? '−' : ''}
                  {f.points(Math.abs(entry.points))}
                </strong>
              </li>
            ))}
          </ul>
        ) : null}
        {next ? (
          <button type="button" class="btn" onClick={() => void load(next)}>
            {t.more}
          </button>
        ) : null}
      </details>
    </section>
  );
}
