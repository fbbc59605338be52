import { formatDate, plural, type Locale } from '../shared/i18n.ts';
import { DAY_MS } from '../db/shop-days.ts';
import type { SurveyKind } from '../db/schema.ts';
import type { SurveyOutcome, SurveyState } from './answer-survey.ts';
import { COMMENT_MAX } from './answer-survey.ts';
import { SCALES, scoresOf } from './survey-scale.ts';
import { escapeHtml, publicPage } from './public-page.ts';

const texts = {
  pl: {
    title: (shop: string) => `Twoja ocena — ${shop}`,
    question: {
      nps: (shop: string) => `Jak bardzo prawdopodobne jest, że polecisz ${shop} znajomym?`,
      csat: (shop: string) => `Jak oceniasz swoje ostatnie zakupy w ${shop}?`,
    },
    ends: { nps: ['zdecydowanie nie', 'zdecydowanie tak'], csat: ['bardzo źle', 'bardzo dobrze'] },
    thanks: 'Dziękujemy!',
    recorded: (r: string) => `Zapisaliśmy Twoją ocenę: ${r}.`,
    changed: (r: string) => `Zmieniliśmy Twoją ocenę na ${r}.`,
    canChange: (left: string, until: string) =>
      `Możesz ją zmienić jeszcze przez ${left} (do ${until}) — wybierz inną ocenę:`,
    locked: (r: string) => `Tej odpowiedzi nie można już zmienić. Twoja ocena: ${r}.`,
    commentLabel: 'Chcesz coś dodać? (nieobowiązkowo)',
    commentSaved: 'Dziękujemy za komentarz — przekażemy go zespołowi.',
    yourComment: 'Twój komentarz:',
    send: 'Wyślij',
    scoreLabel: (n: number, max: number) => `Ocena ${n} z ${max}`,
    commentTooLong: `Komentarz może mieć najwyżej ${COMMENT_MAX} znaków.`,
    days: { one: 'dzień', few: 'dni', many: 'dni', other: 'dnia' },
    maxLength: (n: number) => `najwyżej ${n} znaków`,
    yourRating: 'Twoja ocena',
    current: (r: string) => `Twoja obecna ocena: ${r}.`,
    save: (r: string) => `Zapisz ocenę ${r}`,
    change: (r: string) => `Zmień ocenę na ${r}`,
    saving: 'Zapisujemy Twoją ocenę…',
    otherScore: 'Wybierz inną ocenę, jeśli ta nie pasuje:',
  },
  en: {
    title: (shop: string) => `Your rating — ${shop}`,
    question: {
      nps: (shop: string) => `How likely are you to recommend ${shop} to a friend?`,
      csat: (shop: string) => `How satisfied were you with your recent purchase at ${shop}?`,
    },
    ends: { nps: ['not at all likely', 'extremely likely'], csat: ['very poor', 'very good'] },
    thanks: 'Thank you!',
    recorded: (r: string) => `We have recorded your rating: ${r}.`,
    changed: (r: string) => `We have changed your rating to ${r}.`,
    canChange: (left: string, until: string) =>
      `You can still change it for ${left} (until ${until}) — pick another score:`,
    locked: (r: string) => `This answer can no longer be changed. Your rating: ${r}.`,
    commentLabel: 'Anything you would like to add? (optional)',
    commentSaved: 'Thank you for your comment — we will pass it on to the team.',
    yourComment: 'Your comment:',
    send: 'Send',
    scoreLabel: (n: number, max: number) => `Score ${n} out of ${max}`,
    commentTooLong: `A comment can be at most ${COMMENT_MAX} characters long.`,
    days: { one: 'day', other: 'days' },
    maxLength: (n: number) => `at most ${n} characters`,
    yourRating: 'Your rating',
    current: (r: string) => `Your current rating: ${r}.`,
    save: (r: string) => `Save my rating ${r}`,
    change: (r: string) => `Change my rating to ${r}`,
    saving: 'Saving your rating…',
    otherScore: 'Pick another score if this one is not right:',
  },
} satisfies Record<Locale, unknown>;

/**
 * The page a score link opens while that score is not the answer yet: the score chosen, a
 * button that records it (a POST, which mail scanners following links do not send), and a
 * small script that presses it for the person once the page is shown, so one click in the
 * e-mail still answers. Without JavaScript the button is the one more tap.
 */
export function confirmSurveyPage(input: {
  state: SurveyState;
  /** The score of the link. */
  score: number;
  scoreHref: (score: number) => string;
}): string {
  const { state, score } = input;
  const t = texts[state.locale];
  const max = SCALES[state.kind].max;
  const rating = `${score}/${max}`;
  const current = state.answer ? `${state.answer.score}/${max}` : null;
  const parts = [
    `<p>${escapeHtml(t.question[state.kind](state.shop.name))}</p>`,
    `<p role="status" id="answer-status" data-saving="${escapeHtml(t.saving)}">${current ? escapeHtml(t.current(current)) : ''}</p>`,
    `<p id="change-hint">${escapeHtml(t.otherScore)}</p>`,
    scoreLinks(state.locale, state.kind, score, input.scoreHref),
    `<form method="post" action="" id="answer-form">
<input type="hidden" name="answer" value="1">
<label for="comment">${escapeHtml(t.commentLabel)}</label>
<textarea id="comment" name="comment" rows="5" maxlength="${COMMENT_MAX}" aria-describedby="comment-limit">${escapeHtml(state.answer?.comment ?? '')}</textarea>
<p class="note" id="comment-limit">${escapeHtml(t.maxLength(COMMENT_MAX))}</p>
<button type="submit">${escapeHtml(current ? t.change(rating) : t.save(rating))}</button>
</form>`,
    `<script>${ANSWER_SCRIPT}</script>`,
  ];
  return publicPage({
    locale: state.locale,
    title: t.title(state.shop.name),
    heading: t.yourRating,
    body: parts.join('\n'),
  });
}

// Posts the answer once the page is visible (not while prerendered or in a background tab),
// then shows the page the POST answers; on any failure the button stays for the person.
// The pages' Content-Security-Policy allows exactly this text (by its hash).
export const ANSWER_SCRIPT = `
(function () {
  var form = document.getElementById('answer-form');
  var status = document.getElementById('answer-status');
  if (!form || !window.fetch) return;
  var before = status.textContent;
  var sent = false;
  function send() {
    if (sent || document.visibilityState !== 'visible') return;
    sent = true;
    status.textContent = status.getAttribute('data-saving');
    fetch(location.href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'answer=1',
      credentials: 'omit'
    }).then(function (response) {
      if (!response.ok && response.status !== 409) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      document.open();
      document.write(html);
      document.close();
    }).catch(function () {
      sent = false;
      status.textContent = before;
    });
  }
  document.addEventListener('visibilitychange', send);
  send();
})();
`;

/**
 * The page a survey link opens once its score is the answer (or the answer can no longer
 * change), and the page a POST answers: what was recorded, the other scores while the answer can still
 * change (each a one-click link), and the optional comment form posting back to this URL.
 */
export function surveyPage(input: {
  outcome: Exclude<SurveyOutcome, { status: 'not_found' }>;
  now: Date;
  /** The link of each score, relative to the page. */
  scoreHref: (score: number) => string;
  commentSaved?: boolean;
  error?: string;
}): string {
  const { state, status } = input.outcome;
  const t = texts[state.locale];
  const answer = state.answer!;
  const rating = `${answer.score}/${SCALES[state.kind].max}`;
  const open = input.now <= answer.changeableUntil;
  const parts: string[] = [];

  if (input.error) parts.push(`<p class="error" role="alert">${escapeHtml(input.error)}</p>`);
  if (status === 'locked' || !open) {
    parts.push(`<p>${escapeHtml(t.locked(rating))}</p>`);
  } else {
    parts.push(
      `<p role="status">${escapeHtml(status === 'changed' ? t.changed(rating) : t.recorded(rating))}</p>`,
    );
    if (input.commentSaved) parts.push(`<p role="status">${escapeHtml(t.commentSaved)}</p>`);
    const left = Math.max(
      1,
      Math.ceil((answer.changeableUntil.getTime() - input.now.getTime()) / DAY_MS),
    );
    const until = formatDate(answer.changeableUntil, state.shop.timezone, state.locale, 'datetime');
    parts.push(`<p>${escapeHtml(t.question[state.kind](state.shop.name))}</p>`);
    parts.push(
      `<p id="change-hint">${escapeHtml(t.canChange(plural(state.locale, left, t.days), until))}</p>`,
    );
    parts.push(scoreLinks(state.locale, state.kind, answer.score, input.scoreHref));
  }
  if (answer.comment) {
    parts.push(
      `<p>${escapeHtml(t.yourComment)}</p>\n<blockquote>${escapeHtml(answer.comment)}</blockquote>`,
    );
  }
  if (status !== 'locked' && open) parts.push(commentForm(state, t));

  return publicPage({
    locale: state.locale,
    title: t.title(state.shop.name),
    heading: t.thanks,
    body: parts.join('\n'),
  });
}

function scoreLinks(
  locale: Locale,
  kind: SurveyKind,
  current: number,
  href: (score: number) => string,
): string {
  const t = texts[locale];
  const { max } = SCALES[kind];
  const [low, high] = t.ends[kind];
  const items = scoresOf(kind).map((score) => {
    const attrs = score === current ? ' aria-current="true"' : '';
    return `<li><a href="${escapeHtml(href(score))}"${attrs} aria-label="${escapeHtml(t.scoreLabel(score, max))}">${score}</a></li>`;
  });
  return (
    `<ul class="scores" aria-describedby="change-hint">\n${items.join('\n')}\n</ul>\n` +
    `<p class="note">${escapeHtml(`${SCALES[kind].min} — ${low}, ${max} — ${high}`)}</p>`
  );
}

function commentForm(state: SurveyState, t: (typeof texts)[Locale]): string {
  return `<form method="post" action="">
<label for="comment">${escapeHtml(t.commentLabel)}</label>
<textarea id="comment" name="comment" rows="5" maxlength="${COMMENT_MAX}" aria-describedby="comment-limit">${escapeHtml(state.answer?.comment ?? '')}</textarea>
<p class="note" id="comment-limit">${escapeHtml(t.maxLength(COMMENT_MAX))}</p>
<button type="submit">${escapeHtml(t.send)}</button>
</form>`;
}

export function commentTooLongMessage(locale: Locale): string {
  return texts[locale].commentTooLong;
}
