import { describe, expect, it } from 'vitest';
import {
  countSmsSegments,
  isGsm7,
  toGsm7Transliteration,
} from '../../src/messaging/sms-segments.ts';
import { isStopMessage } from '../../src/messaging/sms-stop.ts';

describe('countSmsSegments', () => {
  it('fits 160 GSM characters in one SMS and splits 161 into two', () => {
    expect(countSmsSegments('a'.repeat(160))).toEqual({
      encoding: 'GSM-7',
      units: 160,
      segments: 1,
    });
    expect(countSmsSegments('a'.repeat(161))).toEqual({
      encoding: 'GSM-7',
      units: 161,
      segments: 2,
    });
    expect(countSmsSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSmsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts an extension character such as € as two units', () => {
    expect(countSmsSegments('€')).toEqual({ encoding: 'GSM-7', units: 2, segments: 1 });
    expect(countSmsSegments('a'.repeat(158) + '€').segments).toBe(1);
    expect(countSmsSegments('a'.repeat(159) + '€')).toEqual({
      encoding: 'GSM-7',
      units: 161,
      segments: 2,
    });
    for (const c of '[]{}^~\\|') expect(countSmsSegments(c).units).toBe(2);
  });

  it('does not split an escape pair between parts', () => {
    // 152 units then €: the € does not fit in the first part's last unit.
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(countSmsSegments(text)).toEqual({ encoding: 'GSM-7', units: 306, segments: 3 });
  });

  it('sends a text with a Polish letter as UCS-2: 70 fit in one SMS, 71 take two', () => {
    const polish70 = 'Zażółć gęślą jaźń. '.repeat(4).slice(0, 70);
    expect(polish70).toHaveLength(70);
    expect(countSmsSegments(polish70)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(countSmsSegments(polish70 + 'a')).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(countSmsSegments('ą' + 'a'.repeat(133)).segments).toBe(2);
    expect(countSmsSegments('ą' + 'a'.repeat(134)).segments).toBe(3);
  });

  it('knows ó is not GSM-7 while é, ò, ü and ß are', () => {
    expect(isGsm7('ó')).toBe(false);
    expect(isGsm7('Ó')).toBe(false);
    for (const c of 'ąćęłńśźżĄĆĘŁŃŚŹŻ') expect(isGsm7(c)).toBe(false);
    expect(isGsm7('éèòüÜßÉÇ@£$¥')).toBe(true);
    expect(isGsm7('ç')).toBe(false);
  });

  it('counts an emoji as two UCS-2 units and never splits it', () => {
    expect(countSmsSegments('🎂')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
    expect(countSmsSegments('a'.repeat(68) + '🎂').segments).toBe(1);
    expect(countSmsSegments('a'.repeat(69) + '🎂').segments).toBe(2);
    // 66 units then an emoji: it moves to the second part whole.
    const text = 'a'.repeat(66) + '🎂' + 'a'.repeat(66);
    expect(countSmsSegments(text)).toEqual({ encoding: 'UCS-2', units: 134, segments: 3 });
  });

  it('counts an empty text as no SMS', () => {
    expect(countSmsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0 });
  });
});

describe('toGsm7Transliteration', () => {
  it('writes Polish letters without diacritics', () => {
    expect(toGsm7Transliteration('Zażółć gęślą jaźń ŻÓŁW Ćma Źle Ńa Śnieg Ęę Ąą')).toBe(
      'Zazolc gesla jazn ZOLW Cma Zle Na Snieg Ee Aa',
    );
  });

  it('makes Polish typography GSM-7 too, so the text fits 160 characters', () => {
    const text = toGsm7Transliteration('„Dzięki” – 12,50\u00a0zł…');
    expect(text).toBe('"Dzieki" - 12,50 zl...');
    expect(countSmsSegments(text).encoding).toBe('GSM-7');
  });
});

describe('isStopMessage', () => {
  it.each([
    'STOP',
    'stop',
    ' Stop! ',
    'STOP SMS',
    'stop-sms',
    'NIE',
    'nie.',
    'REZYGNUJĘ',
    'rezygnuje',
    'Rezygnuję',
    'WYPISZ',
    'wypisz mnie',
    'UNSUBSCRIBE',
    'STOPALL',
    'StopAll',
  ])('takes "%s" as a stop request', (text) => expect(isStopMessage(text)).toBe(true));

  it.each(['nie wiem, kiedy będę', 'Dzięki!', 'STOPY', 'Top', ''])(
    'does not take "%s" as one',
    (text) => expect(isStopMessage(text)).toBe(false),
  );
});
