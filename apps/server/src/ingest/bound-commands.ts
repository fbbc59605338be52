import { MAX_AMOUNT, MAX_QUANTITY, isCurrency } from '../shared/bounds.ts';
import { EARLIEST_BIRTHDAY, latestToday, notLaterThan } from '../shared/client-time.ts';
import { PayloadError, type Command, type CustomerFacts, type OrderFacts } from './facts.ts';

/**
 * Holds every adapter's commands to the limits the API enforces at its door, whatever the
 * sender. A platform's delivery cannot be refused with a 400 as an API body is, so an amount or
 * quantity out of range or an unknown currency fails the event here, with the reason, instead
 * of being stored and breaking reads later. A time ahead of the event's receipt is the sender's
 * clock running fast: the receipt time stands in, so its facts cannot outrank later ones.
 */
export function boundCommands(commands: Command[], receivedAt: Date): Command[] {
  const at = (time: Date) => notLaterThan(time, receivedAt);
  const maybe = (time: Date | null) => (time === null ? null : at(time));
  const customer = (c: CustomerFacts, field: string): CustomerFacts => {
    checkBirthday(c.birthday, receivedAt, `${field}.birthday`);
    return { ...c, asOf: at(c.asOf) };
  };
  return commands.map((command): Command => {
    switch (command.kind) {
      case 'customer':
        return { ...command, customer: customer(command.customer, 'customer') };
      case 'order': {
        const o = command.order;
        checkOrder(o);
        return {
          ...command,
          order: {
            ...o,
            customer: o.customer ? customer(o.customer, 'order.customer') : null,
            placedAt: at(o.placedAt),
            paidAt: maybe(o.paidAt),
            cancelledAt: maybe(o.cancelledAt),
            fulfilledAt: maybe(o.fulfilledAt),
            asOf: at(o.asOf),
          },
        };
      }
      case 'refund':
        checkAmount(command.refund.amount, 'refund.amount');
        checkCurrency(command.refund.currency, 'refund.currency');
        return {
          ...command,
          refund: { ...command.refund, refundedAt: at(command.refund.refundedAt) },
        };
      case 'cancel':
        return { ...command, cancelledAt: at(command.cancelledAt) };
      case 'fulfil':
        return { ...command, fulfilledAt: at(command.fulfilledAt) };
      case 'activity': {
        const a = command.activity;
        return {
          ...command,
          activity: {
            ...a,
            customer: customer(a.customer, 'customer'),
            occurredAt: at(a.occurredAt),
          },
        };
      }
      case 'product':
        if (command.product.price !== null) checkAmount(command.product.price, 'product.price');
        if (command.product.currency !== null)
          checkCurrency(command.product.currency, 'product.currency');
        return { ...command, product: { ...command.product, asOf: at(command.product.asOf) } };
      case 'data-request':
        return {
          ...command,
          request: { ...command.request, requestedAt: at(command.request.requestedAt) },
        };
      case 'redact-customer':
      case 'redact-shop':
      case 'ignore':
        return command;
    }
  });
}

function checkOrder(o: OrderFacts): void {
  checkCurrency(o.currency, 'order.currency');
  checkAmount(o.total, 'order.total');
  for (const field of ['subtotal', 'shipping', 'tax', 'discount'] as const) {
    const value = o[field];
    if (value !== null) checkAmount(value, `order.${field}`);
  }
  o.lines.forEach((line, i) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 0 || line.quantity > MAX_QUANTITY) {
      throw new PayloadError(
        `order.lines[${i}].quantity ${line.quantity} is out of range (0 to ${MAX_QUANTITY})`,
      );
    }
    checkAmount(line.unitPrice, `order.lines[${i}].price`);
  });
}

function checkAmount(value: number, field: string): void {
  // Refunds and discounts may arrive signed; what matters for sums is the size.
  if (!Number.isSafeInteger(value) || Math.abs(value) > MAX_AMOUNT) {
    throw new PayloadError(`${field} ${value} is out of range (at most ${MAX_AMOUNT} minor units)`);
  }
}

function checkCurrency(code: string, field: string): void {
  if (!isCurrency(code)) throw new PayloadError(`${field} "${code}" is not an ISO 4217 currency`);
}

function checkBirthday(birthday: string | null | undefined, receivedAt: Date, field: string) {
  if (!birthday) return;
  if (birthday < EARLIEST_BIRTHDAY || birthday > latestToday(receivedAt)) {
    throw new PayloadError(`${field} ${birthday} is out of range (${EARLIEST_BIRTHDAY} to today)`);
  }
}
