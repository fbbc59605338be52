const STOP_WORDS = new Set([
  'STOP',
  'STOP SMS',
  'STOPSMS',
  'STOPALL',
  'STOP ALL',
  'NIE',
  'REZYGNUJE',
  'REZYGNACJA',
  'WYPISZ',
  'WYPISZ MNIE',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
]);

/**
 * Whether an incoming SMS asks to stop messages: the whole text is one of the stop words, in
 * any case, with or without Polish diacritics ("Rezygnuję", "rezygnuje") and trailing
 * punctuation. A sentence that merely contains "nie" is not a stop request.
 */
export function isStopMessage(text: string): boolean {
  const normalized = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łŁ]/g, 'l')
    .toUpperCase()
    .replace(/[^A-Z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return STOP_WORDS.has(normalized);
}
