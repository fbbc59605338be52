import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_FIELDS,
  mergeCustomerFacts,
  type CustomerState,
} from '../../src/ingest/merge-customer-facts.ts';
import type { CustomerFacts } from '../../src/ingest/facts.ts';

const T1 = new Date('2026-01-01T10:00:00Z');
const T2 = new Date('2026-01-02T10:00:00Z');
const T3 = new Date('2026-01-03T10:00:00Z');

const emptyState = (): CustomerState => ({ values: {}, fieldTimes: {}, redacted: false });

const facts = (asOf: Date, fields: Partial<CustomerFacts> = {}): CustomerFacts => ({
  externalId: 'c-1',
  asOf,
  ...fields,
});

/** Applies facts one after another, as the writer does, and returns the final state. */
function applyAll(start: CustomerState, list: CustomerFacts[]): CustomerState {
  let state = start;
  for (const f of list) {
    const { changes, fieldTimes } = mergeCustomerFacts(state, f);
    state = { ...state, values: { ...state.values, ...changes }, fieldTimes };
  }
  return state;
}

describe('mergeCustomerFacts', () => {
  it('lets newer facts overwrite the values they mention', () => {
    // given a customer whose email and name came from data of T1
    const state = applyAll(emptyState(), [facts(T1, { email: 'ala@old.pl', firstName: 'Ala' })]);

    // when facts of T2 bring a new email
    const result = mergeCustomerFacts(state, facts(T2, { email: 'ala@new.pl' }));

    // then the email changes and is held since T2; the name is left alone
    expect(result.changes).toEqual({ email: 'ala@new.pl' });
    expect(result.fieldTimes).toEqual({
      email: T2.toISOString(),
      firstName: T1.toISOString(),
    });
  });

  it('does not let older facts overwrite a field held by newer data', () => {
    // given an email from data of T2
    const state = applyAll(emptyState(), [facts(T2, { email: 'ala@new.pl' })]);

    // when a late delivery of T1 brings the old email
    const result = mergeCustomerFacts(state, facts(T1, { email: 'ala@old.pl' }));

    // then nothing changes
    expect(result.changes).toEqual({});
    expect(result.fieldTimes).toEqual({ email: T2.toISOString() });
  });

  it('lets older facts fill a field nobody has set yet', () => {
    // given an email from data of T2, and no phone
    const state = applyAll(emptyState(), [facts(T2, { email: 'ala@new.pl' })]);

    // when a late delivery of T1 brings the old email and a phone
    const result = mergeCustomerFacts(
      state,
      facts(T1, { email: 'ala@old.pl', phone: '+48 600 700 800' }),
    );

    // then only the phone is taken, held since T1
    expect(result.changes).toEqual({ phone: '+48 600 700 800' });
    expect(result.fieldTimes).toEqual({ email: T2.toISOString(), phone: T1.toISOString() });
  });

  it('leaves fields the facts do not mention (undefined) untouched', () => {
    const state = applyAll(emptyState(), [
      facts(T1, { email: 'ala@old.pl', phone: '+48 600 700 800', tags: ['vip'] }),
    ]);

    const result = mergeCustomerFacts(
      state,
      facts(T2, { email: undefined, phone: undefined, tags: undefined, lastName: 'Nowak' }),
    );

    expect(result.changes).toEqual({ last_name: 'Nowak' });
    expect(result.fieldTimes).toEqual({
      email: T1.toISOString(),
      phone: T1.toISOString(),
      tags: T1.toISOString(),
      lastName: T2.toISOString(),
    });
  });

  it('clears a field when newer facts say it is explicitly empty (null)', () => {
    const state = applyAll(emptyState(), [facts(T1, { phone: '+48 600 700 800' })]);

    const result = mergeCustomerFacts(state, facts(T2, { phone: null }));

    expect(result.changes).toEqual({ phone: null });
  });

  it('records the newer time but reports no change when the value is the same', () => {
    const state = applyAll(emptyState(), [facts(T1, { tags: ['vip', 'kawa'] })]);

    const result = mergeCustomerFacts(state, facts(T2, { tags: ['vip', 'kawa'] }));

    expect(result.changes).toEqual({});
    expect(result.fieldTimes).toEqual({ tags: T2.toISOString() });
  });

  it('maps each field to its column', () => {
    const result = mergeCustomerFacts(
      emptyState(),
      facts(T1, {
        email: 'ala@example.pl',
        phone: '+48 600 700 800',
        firstName: 'Ala',
        lastName: 'Kowalska',
        birthday: '1990-05-17',
        acceptsEmailMarketing: true,
        acceptsSmsMarketing: false,
        tags: ['vip'],
      }),
    );

    expect(result.changes).toEqual({
      email: 'ala@example.pl',
      phone: '+48 600 700 800',
      first_name: 'Ala',
      last_name: 'Kowalska',
      birthday: '1990-05-17',
      accepts_email_marketing: true,
      accepts_sms_marketing: false,
      tags: ['vip'],
    });
  });

  it('never gives a redacted customer their email, phone, names or birthday back', () => {
    // given a customer erased at the customer's request
    const state: CustomerState = { values: {}, fieldTimes: {}, redacted: true };

    // when a newer delivery still carries their personal data and their consents
    const result = mergeCustomerFacts(
      state,
      facts(T3, {
        email: 'ala@example.pl',
        phone: '+48 600 700 800',
        firstName: 'Ala',
        lastName: 'Kowalska',
        birthday: '1990-05-17',
        acceptsEmailMarketing: false,
        tags: ['vip'],
      }),
    );

    // then none of the personal data comes back; the rest still merges
    expect(result.changes).toEqual({ accepts_email_marketing: false, tags: ['vip'] });
    expect(Object.keys(result.fieldTimes).sort()).toEqual(['acceptsEmailMarketing', 'tags']);
  });

  it('does not change the state it is given', () => {
    const state = applyAll(emptyState(), [facts(T1, { email: 'ala@old.pl' })]);
    const before = structuredClone(state);

    mergeCustomerFacts(state, facts(T2, { email: 'ala@new.pl', phone: '1' }));

    expect(state).toEqual(before);
  });
});

describe('mergeCustomerFacts in any order', () => {
  // A column never written and one written null read the same from the database.
  const columns = (state: CustomerState) =>
    Object.fromEntries(
      Object.values(CUSTOMER_FIELDS).map((column) => [column, state.values[column] ?? null]),
    );
  const maybe = <T>(arb: fc.Arbitrary<T>) =>
    fc.option(arb, { nil: undefined, freq: 2 }) as fc.Arbitrary<T | undefined>;
  const nullable = <T>(arb: fc.Arbitrary<T>) => maybe(fc.option(arb, { nil: null }));
  const fieldsArb = fc.record({
    email: nullable(fc.constantFrom('a@x.pl', 'b@x.pl', 'c@x.pl')),
    phone: nullable(fc.constantFrom('111', '222')),
    firstName: nullable(fc.constantFrom('Ala', 'Ola', 'Ela')),
    lastName: nullable(fc.constantFrom('Nowak', 'Kowalska')),
    birthday: nullable(fc.constantFrom('1990-05-17', '1985-01-01')),
    acceptsEmailMarketing: nullable(fc.boolean()),
    acceptsSmsMarketing: nullable(fc.boolean()),
    tags: maybe(fc.array(fc.constantFrom('vip', 'kawa', 'herbata'), { maxLength: 3 })),
  });
  const minute = 60_000;
  const base = T1.getTime();

  /** A list of facts with distinct times, and a permutation of it. */
  const listAndPermutation = (times: fc.Arbitrary<number[]>) =>
    times
      .chain((ts) =>
        fc.tuple(
          fc.tuple(...ts.map((t) => fieldsArb.map((f) => facts(new Date(base + t * minute), f)))),
          fc.shuffledSubarray(
            ts.map((_, i) => i),
            { minLength: ts.length, maxLength: ts.length },
          ),
        ),
      )
      .map(([list, order]) => ({ list, permuted: order.map((i) => list[i]!) }));

  it('ends in the same values whatever order facts with distinct times arrive in', () => {
    const distinctTimes = fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(listAndPermutation(distinctTimes), ({ list, permuted }) => {
        const inOrder = applyAll(emptyState(), list);
        const shuffled = applyAll(emptyState(), permuted);

        expect(columns(shuffled)).toEqual(columns(inOrder));
        expect(shuffled.fieldTimes).toEqual(inOrder.fieldTimes);
      }),
      { numRuns: 500 },
    );
  });

  it('ends in the same values whatever the order, even when facts share a time', () => {
    // few distinct times, so ties are common and the tie rule decides
    const repeatedTimes = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(listAndPermutation(repeatedTimes), ({ list, permuted }) => {
        const inOrder = applyAll(emptyState(), list);
        const shuffled = applyAll(emptyState(), permuted);

        expect(columns(shuffled)).toEqual(columns(inOrder));
        expect(shuffled.fieldTimes).toEqual(inOrder.fieldTimes);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps, for each field, the value from the newest facts that mention it', () => {
    const distinctTimes = fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(listAndPermutation(distinctTimes), ({ list, permuted }) => {
        const final = applyAll(emptyState(), permuted);
        const newest = [...list].sort((a, b) => b.asOf.getTime() - a.asOf.getTime());
        const emailFacts = newest.find((f) => f.email !== undefined);

        expect(final.values.email ?? null).toEqual(emailFacts ? emailFacts.email : null);
      }),
      { numRuns: 300 },
    );
  });
});
