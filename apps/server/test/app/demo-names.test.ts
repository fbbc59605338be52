import { describe, expect, it } from 'vitest';
import { surnameOf } from '../../src/app/demo/generate-demo-events.ts';

// The demo shop's customers read as Polish people: a woman's -ski surname is -ska.
describe('demo customers', () => {
  it('agree surname with first name, as Polish does', () => {
    expect(surnameOf('Anna', 'Kowalski')).toBe('Kowalska');
    expect(surnameOf('Zofia', 'Dąbrowski')).toBe('Dąbrowska');
    expect(surnameOf('Julia', 'Lewandowski')).toBe('Lewandowska');
    expect(surnameOf('Jan', 'Kowalski')).toBe('Kowalski');
    expect(surnameOf('Maria', 'Nowak')).toBe('Nowak');
    expect(surnameOf('Ewa', 'Krawczyk')).toBe('Krawczyk');
  });
});
