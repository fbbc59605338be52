import { describe, expect, it } from 'vitest';
import { apiEventSchema } from '../../src/ingest/api-event.ts';
import { boundCommands } from '../../src/ingest/bound-commands.ts';
import { PayloadError, type Command, type OrderFacts } from '../../src/ingest/facts.ts';
import { Problem } from '../../src/shared/errors.ts';
import { duplicateKeyIn } from '../../src/shared/json.ts';
import {
  latestToday,
  notLaterThan,
  presentOf,
  refuseFutureTimes,
} from '../../src/shared/client-time.ts';
import { MAX_AMOUNT, isCurrency } from '../../src/shared/bounds.ts';

const receivedAt = new Date('2026-11-30T12:00:00Z');

function order(changes: Partial<OrderFacts> = {}): Command {
  return {
    kind: 'order',
    order: {
      externalId: 'o1',
      customer: { externalId: 'c1', asOf: new Date('2026-11-30T11:00:00Z') },
      email: null,
      currency: 'PLN',
      total: 1000,
      subtotal: null,
      shipping: null,
      tax: null,
      discount: null,
      discountCodes: [],
      lines: [],
      placedAt: new Date('2026-11-30T11:00:00Z'),
      paidAt: new Date('2026-11-30T11:00:00Z'),
      cancelledAt: null,
      fulfilledAt: null,
      asOf: new Date('2026-11-30T11:00:00Z'),
      ...changes,
    },
  };
}

function failure(commands: Command[]): string {
  try {
    boundCommands(commands, receivedAt);
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    return (error as Error).message;
  }
  throw new Error('expected a PayloadError');
}

describe('duplicateKeyIn', () => {
  it.each([
    ['{"points":1,"points":999999}', 'points'],
    ['{"data":{"customer":{"id":"a","id":"b"}}}', 'data.customer.id'],
    ['{"lines":[{"price":1},{"price":2,"price":3}]}', 'lines.1.price'],
    ['{"a":1,"\\u0061":2}', 'a'],
    ['{"a":{"b":1},"a":2}', 'a'],
  ])('finds the repeated key in %s at %s', (text, path) => {
    expect(duplicateKeyIn(text)).toBe(path);
  });

  it.each([
    '{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}',
    '{"a":"\\"a\\":1,\\"a\\":2","b":"{\\"x\\":1,\\"x\\":2}"}',
    '[1,"a",{"k":"v"},[]]',
    '{}',
    '"just a string"',
  ])('finds none in %s', (text) => {
    expect(duplicateKeyIn(text)).toBeNull();
  });
});

describe('client times', () => {
  const now = new Date('2026-11-30T12:00:00Z');

  it('refuses a time more than five minutes ahead, naming each field, and takes one up to five', () => {
    expect(() =>
      refuseFutureTimes(
        now,
        [{ path: 'at', at: '2026-11-30T12:05:00Z' }],
        [{ path: 'd', at: '2026-12-01' }],
      ),
    ).not.toThrow();
    try {
      refuseFutureTimes(
        now,
        [
          { path: 'ok', at: '2026-11-29T00:00:00Z' },
          { path: 'late', at: '2026-11-30T12:05:01Z' },
          { path: 'none', at: undefined },
        ],
        [{ path: 'birthday', at: '2026-12-02' }],
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Problem);
      expect((error as Problem).errors?.map((e) => e.path)).toEqual(['late', 'birthday']);
    }
  });

  it('takes the later of the injected and the system clock as the present for event times', () => {
    const system = new Date('2026-11-30T12:00:00Z');

    expect(presentOf(new Date('2026-01-01T00:00:00Z'), system)).toEqual(system);
    expect(presentOf(new Date('2027-06-01T00:00:00Z'), system)).toEqual(
      new Date('2027-06-01T00:00:00Z'),
    );
  });

  it('knows which day has begun somewhere, and keeps a time no later than now', () => {
    expect(latestToday(new Date('2026-11-30T09:59:59Z'))).toBe('2026-11-30');
    expect(latestToday(new Date('2026-11-30T10:00:00Z'))).toBe('2026-12-01');
    expect(notLaterThan(new Date('9999-12-31T00:00:00Z'), now)).toEqual(now);
    expect(notLaterThan(new Date('2026-01-01T00:00:00Z'), now)).toEqual(
      new Date('2026-01-01T00:00:00Z'),
    );
  });
});

describe('boundCommands', () => {
  it('takes times ahead of the receipt as the receipt, and keeps earlier ones', () => {
    const future = new Date('9999-12-31T23:59:59Z');
    const [bounded] = boundCommands(
      [
        order({
          asOf: future,
          placedAt: future,
          fulfilledAt: future,
          customer: { externalId: 'c1', asOf: future },
        }),
      ],
      receivedAt,
    );

    const o = (bounded as Extract<Command, { kind: 'order' }>).order;
    expect([o.asOf, o.placedAt, o.fulfilledAt, o.customer!.asOf]).toEqual([
      receivedAt,
      receivedAt,
      receivedAt,
      receivedAt,
    ]);
    expect(o.paidAt).toEqual(new Date('2026-11-30T11:00:00Z'));
  });

  it('fails an order whose amounts, quantities or currency are out of range, with the field', () => {
    expect(failure([order({ total: MAX_AMOUNT + 1 })])).toBe(
      'order.total 1000000000001 is out of range (at most 1000000000000 minor units)',
    );
    expect(failure([order({ discount: -(MAX_AMOUNT + 1) })])).toContain('order.discount');
    expect(
      failure([
        order({
          lines: [
            {
              externalId: null,
              productId: 'p',
              variantId: null,
              sku: null,
              title: null,
              categoryIds: [],
              quantity: 2_147_483_648,
              unitPrice: 1,
            },
          ],
        }),
      ]),
    ).toBe('order.lines[0].quantity 2147483648 is out of range (0 to 1000000)');
    expect(failure([order({ currency: 'XXX' })])).toBe(
      'order.currency "XXX" is not an ISO 4217 currency',
    );
  });

  it('fails a refund in an unknown currency and a birthday that has not happened', () => {
    const refund: Command = {
      kind: 'refund',
      refund: {
        orderExternalId: 'o1',
        externalId: 'r1',
        amount: 10,
        currency: 'ZZZ',
        reason: null,
        refundedAt: receivedAt,
      },
    };
    const customer: Command = {
      kind: 'customer',
      customer: { externalId: 'c1', birthday: '2999-01-01', asOf: receivedAt },
    };

    expect(failure([refund])).toBe('refund.currency "ZZZ" is not an ISO 4217 currency');
    expect(failure([customer])).toBe(
      'customer.birthday 2999-01-01 is out of range (1900-01-01 to today)',
    );
  });

  it('refuses at the API a birthday before 1900, once the date itself is well formed', () => {
    const event = (birthday: string) => ({ type: 'customer.created', data: { id: 'c', birthday } });
    const issues = (birthday: string) =>
      apiEventSchema.safeParse(event(birthday)).error?.issues.map((i) => i.message) ?? [];

    expect(issues('1899-12-31')).toEqual(['must be 1900-01-01 or later']);
    expect(issues('1900-01-01')).toEqual([]);
    expect(issues('17.05.1990')).toHaveLength(1);
  });

  it('knows the currencies in use', () => {
    expect(['PLN', 'EUR', 'JPY'].every(isCurrency)).toBe(true);
    expect(['XXX', 'ZZZ', 'pln', ''].some(isCurrency)).toBe(false);
  });
});
