import { describe, expect, it } from 'vitest';
import { followUpTitle } from '../../src/surveys/follow-up-task.ts';
import { categoryOf, needsFollowUp } from '../../src/surveys/survey-scale.ts';
import { readPhotoDataUrl, sniffImage } from '../../src/reviews/review-photo.ts';

describe('survey scores', () => {
  it('follows up NPS 0–6 and CSAT 1–2 only', () => {
    expect([0, 6, 7, 9, 10].map((s) => needsFollowUp('nps', s))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect([1, 2, 3, 5].map((s) => needsFollowUp('csat', s))).toEqual([true, true, false, false]);
    expect(categoryOf('nps', 8)).toBe('passive');
  });

  it('shortens a long comment in the task title and writes English for an English shop', () => {
    const title = followUpTitle('en', 'nps', 4, `${'a'.repeat(200)}\n\nend`);
    expect(title.startsWith('Call back: the customer rated us 4/10 — “aaa')).toBe(true);
    expect(title.endsWith('…”')).toBe(true);
    expect(Array.from(title.slice(title.indexOf('“') + 1, -1))).toHaveLength(120);
  });
});

describe('review photos', () => {
  it('knows JPEG, PNG and WebP by their first bytes, and nothing else', () => {
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
    expect(sniffImage(webp)).toBe('image/webp');
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImage(Buffer.from('GIF89a'))).toBeNull();
    expect(readPhotoDataUrl(`data:image/webp;base64,${webp.toString('base64')}`).ok).toBe(true);
  });

  it('refuses text that is not base64', () => {
    expect(readPhotoDataUrl('data:image/png;base64,@@@@')).toMatchObject({
      ok: false,
      message: 'is not valid base64',
    });
    expect(readPhotoDataUrl('https://example.pl/a.png')).toMatchObject({ ok: false });
  });
});
