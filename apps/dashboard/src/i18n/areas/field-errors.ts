import { defineMessages } from '../define-messages.ts';

/** Field errors from the server's facts (i18n/field-error-wording.ts). */
export const fieldErrorMessages = defineMessages(
  {
    'fieldError.tooSmall.string':
      'Enter at least {n, plural, one {# character} other {# characters}}.',
    'fieldError.tooSmall.array': 'Choose at least {n, plural, one {# item} other {# items}}.',
    'fieldError.tooBig.string':
      'Enter at most {n, plural, one {# character} other {# characters}}.',
    'fieldError.tooBig.array': 'Choose at most {n, plural, one {# item} other {# items}}.',
    'fieldError.atLeast': 'Enter {n, number} or more.',
    'fieldError.moreThan': 'Enter more than {n, number}.',
    'fieldError.atMost': 'Enter {n, number} or less.',
    'fieldError.lessThan': 'Enter less than {n, number}.',
    'fieldError.email': 'Enter a valid e-mail address.',
    'fieldError.url': 'Enter a full address, starting with https://.',
    'fieldError.date': 'Enter a valid date.',
    'fieldError.required': 'Fill in this field.',
    'fieldError.oneOf': 'Choose one of: {values}.',
  },
  {
    'fieldError.tooSmall.string':
      'Wpisz co najmniej {n, plural, one {# znak} few {# znaki} many {# znaków} other {# znaku}}.',
    'fieldError.tooSmall.array':
      'Wybierz co najmniej {n, plural, one {# pozycję} few {# pozycje} many {# pozycji} other {# pozycji}}.',
    'fieldError.tooBig.string':
      'Wpisz najwyżej {n, plural, one {# znak} few {# znaki} many {# znaków} other {# znaku}}.',
    'fieldError.tooBig.array':
      'Wybierz najwyżej {n, plural, one {# pozycję} few {# pozycje} many {# pozycji} other {# pozycji}}.',
    'fieldError.atLeast': 'Wpisz {n, number} lub więcej.',
    'fieldError.moreThan': 'Wpisz więcej niż {n, number}.',
    'fieldError.atMost': 'Wpisz {n, number} lub mniej.',
    'fieldError.lessThan': 'Wpisz mniej niż {n, number}.',
    'fieldError.email': 'Wpisz poprawny adres e-mail.',
    'fieldError.url': 'Wpisz pełny adres, zaczynający się od https://.',
    'fieldError.date': 'Wpisz poprawną datę.',
    'fieldError.required': 'Uzupełnij to pole.',
    'fieldError.oneOf': 'Wybierz jedną z wartości: {values}.',
  },
);
