import type { SurveyKind } from '../db/schema.ts';

/** The scores a survey offers: NPS 0–10, CSAT 1–5. */
export const SCALES: Record<SurveyKind, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
};

export type NpsCategory = 'promoter' | 'passive' | 'detractor';
export type CsatCategory = 'satisfied' | 'neutral' | 'dissatisfied';

export function scoresOf(kind: SurveyKind): number[] {
  const { min, max } = SCALES[kind];
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

export function isScore(kind: SurveyKind, score: number): boolean {
  const { min, max } = SCALES[kind];
  return Number.isInteger(score) && score >= min && score <= max;
}

/** NPS: 9–10 promote, 7–8 are passive, 0–6 detract. CSAT: 4–5 satisfied, 3 neutral, 1–2 not. */
export function categoryOf(kind: SurveyKind, score: number): NpsCategory | CsatCategory {
  if (kind === 'nps') return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
  return score >= 4 ? 'satisfied' : score === 3 ? 'neutral' : 'dissatisfied';
}

/** A score low enough that staff should call the customer back. */
export function needsFollowUp(kind: SurveyKind, score: number): boolean {
  const category = categoryOf(kind, score);
  return category === 'detractor' || category === 'dissatisfied';
}
