import { api } from '../../api/client.ts';

/** The shapes of the survey, review and task routes the feedback pages read. */
export type SurveyKind = 'nps' | 'csat';

export interface SurveyFigures {
  requests: number;
  count: number;
  responseRate: number | null;
  distribution: { score: number; count: number }[];
  nps?: { score: number | null; promoters: number; passives: number; detractors: number };
  csat?: { average: number | null; satisfiedPercent: number | null };
}

export interface SurveyAnswer {
  requestId: string;
  customerId: string;
  customer: { email: string | null; name: string | null };
  kind: SurveyKind;
  score: number;
  category: string;
  comment: string | null;
  taskId: string | null;
  answeredAt: string;
}

export type ReviewStatus = 'pending' | 'approved' | 'rejected';
export interface Review {
  id: string;
  customerId: string;
  target: 'product' | 'shop';
  productId: string | null;
  rating: number;
  title: string | null;
  body: string | null;
  photoUrl: string | null;
  hasPhoto: boolean;
  status: ReviewStatus;
  moderationNote: string | null;
  moderatedAt: string | null;
  createdAt: string;
  reply: string | null;
  repliedAt: string | null;
}

export interface Task {
  id: string;
  customerId: string;
  customer: { email: string | null; name: string | null };
  title: string;
  dueAt: string | null;
  status: 'open' | 'done' | 'cancelled';
  source: string;
  createdAt: string;
  closedAt: string | null;
  assignedTo: string | null;
}

export const loadResults = (q: { kind: SurveyKind; from: string; to: string }) =>
  api<SurveyFigures>('GET', '/v1/surveys/results', { query: q });
export const loadSeries = (q: { kind: SurveyKind; from: string; to: string }) =>
  api<{ data: (SurveyFigures & { month: string })[] }>('GET', '/v1/surveys/series', { query: q });
export const loadAnswers = (q: {
  kind: SurveyKind;
  from: string;
  to: string;
  low?: string;
  withComment: string;
}) => api<{ data: SurveyAnswer[] }>('GET', '/v1/surveys/answers', { query: { ...q, limit: 30 } });

export const loadReviews = (status: ReviewStatus) =>
  api<{ data: Review[] }>('GET', '/v1/reviews', { query: { status, limit: 50 } });
export const approveReview = (id: string) =>
  api<Review>('POST', `/v1/reviews/${encodeURIComponent(id)}/approve`);
export const rejectReview = (id: string, note: string) =>
  api<Review>('POST', `/v1/reviews/${encodeURIComponent(id)}/reject`, {
    body: note.trim() ? { note: note.trim() } : {},
  });
export const replyToReview = (id: string, reply: string) =>
  api<Review>('POST', `/v1/reviews/${encodeURIComponent(id)}/reply`, { body: { reply } });

/** Points the customer got from the review rule, from their ledger. */
export async function reviewPoints(customerId: string): Promise<number> {
  const ledger = await api<{
    data: { points: number; cause: { type: string; rule?: { code: string | null } | null } }[];
  }>('GET', `/v1/customers/${encodeURIComponent(customerId)}/ledger`, { query: { limit: 500 } });
  return ledger.data
    .filter((e) => e.cause.type === 'rule' && e.cause.rule?.code === 'review')
    .reduce((sum, e) => sum + e.points, 0);
}

/**
 * An uploaded photo as a data URL: before approval it is served only to the shop, so the page
 * fetches it with the session and the shop header (an <img> could send neither).
 */
export async function photoDataUrl(path: string, shopId: string): Promise<string> {
  const response = await fetch(path, {
    headers: { 'lojal-shop': shopId },
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error(`photo: ${response.status}`);
  const blob = await response.blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('photo'));
    reader.readAsDataURL(blob);
  });
}

export interface TaskFilters {
  status: 'open' | 'done' | 'all';
  origin: 'all' | 'survey' | 'flow' | 'staff';
  assignedTo: string;
}
export const loadTasks = (f: TaskFilters) =>
  api<{ data: Task[] }>('GET', '/v1/tasks', {
    query: {
      status: f.status,
      origin: f.origin === 'all' ? undefined : f.origin,
      assignedTo: f.assignedTo === 'any' ? undefined : f.assignedTo,
      limit: 200,
    },
  });
export const assignTask = (id: string, userId: string | null) =>
  api<Task>('POST', `/v1/tasks/${encodeURIComponent(id)}/assign`, { body: { userId } });
export const resolveTask = (id: string) =>
  api<Task>('POST', `/v1/tasks/${encodeURIComponent(id)}/close`, { body: { status: 'done' } });
