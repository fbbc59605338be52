<?php
/**
 * Lojal's own event format (POST /v1/events, API.md "Inbound events") built from PrestaShop
 * objects. Every event carries an `id`: Lojal applies one type + id once, so a hook that runs
 * twice (a retried status change, a module reset) changes nothing.
 *
 * Money is integer minor units; times are ISO 8601 with the shop's offset (PrestaShop stores
 * wall-clock times in PS_TIMEZONE).
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

class LojalEvents
{
    /** ISO 4217 minor-unit exponents other than 2 (as Lojal's shared/money.ts). */
    const EXPONENTS = [
        'BIF' => 0, 'CLP' => 0, 'DJF' => 0, 'GNF' => 0, 'ISK' => 0, 'JPY' => 0, 'KMF' => 0,
        'KRW' => 0, 'PYG' => 0, 'RWF' => 0, 'UGX' => 0, 'UYI' => 0, 'VND' => 0, 'VUV' => 0,
        'XAF' => 0, 'XOF' => 0, 'XPF' => 0, 'BHD' => 3, 'IQD' => 3, 'JOD' => 3, 'KWD' => 3,
        'LYD' => 3, 'OMR' => 3, 'TND' => 3,
    ];

    /** A decimal amount ("12.500000", 12.5) in minor units of the currency. */
    public static function minor($amount, $currency)
    {
        $exponent = isset(self::EXPONENTS[$currency]) ? self::EXPONENTS[$currency] : 2;
        $text = number_format((float) $amount, $exponent, '.', '');

        return (int) str_replace('.', '', $text);
    }

    /** A PrestaShop wall-clock time ('2026-03-02 11:00:00') as ISO 8601 with the zone's offset. */
    public static function isoTime($wallClock, $timeZone)
    {
        if (!is_string($wallClock) || strpos($wallClock, '0000-00-00') === 0) {
            return null;
        }
        $date = DateTime::createFromFormat('Y-m-d H:i:s', $wallClock, new DateTimeZone($timeZone));

        return $date ? $date->format(DateTime::ATOM) : null;
    }

    public static function customer($customer, $isNew, $timeZone)
    {
        $data = self::customerData($customer);
        // Two updates within one second are two events: the id carries what changed.
        $id = $isNew
            ? 'customer-' . $customer->id . '-created'
            : 'customer-' . $customer->id . '-' . substr(sha1(json_encode($data)), 0, 16);
        $event = [
            'type' => $isNew ? 'customer.created' : 'customer.updated',
            'id' => $id,
            'data' => $data,
        ];
        $at = self::isoTime($isNew ? $customer->date_add : $customer->date_upd, $timeZone);
        if ($at !== null) {
            $event['occurredAt'] = $at;
        }

        return $event;
    }

    public static function orderPaid($order, $customer, $currency, array $products, $timeZone, $now)
    {
        $iso = strtoupper($currency->iso_code);
        $lines = [];
        foreach ($products as $product) {
            $quantity = (int) $product['product_quantity'];
            if ($quantity < 1) {
                continue;
            }
            $line = [
                'productId' => (string) $product['product_id'],
                'quantity' => $quantity,
                'price' => self::minor($product['unit_price_tax_incl'], $iso),
            ];
            if (!empty($product['product_reference'])) {
                $line['sku'] = (string) $product['product_reference'];
            }
            $lines[] = $line;
        }

        return [
            'type' => 'order.paid',
            'id' => 'order-' . $order->id . '-paid',
            'occurredAt' => $now->format(DateTime::ATOM),
            'data' => [
                'id' => (string) $order->id,
                'customer' => self::customerData($customer),
                'currency' => $iso,
                'total' => self::minor($order->total_paid_tax_incl, $iso),
                'subtotal' => self::minor($order->total_products_wt, $iso),
                'shipping' => self::minor($order->total_shipping_tax_incl, $iso),
                'discount' => self::minor($order->total_discounts_tax_incl, $iso),
                'lines' => $lines,
                'createdAt' => self::isoTime($order->date_add, $timeZone),
            ],
        ];
    }

    public static function orderCancelled($order, $now)
    {
        return [
            'type' => 'order.cancelled',
            'id' => 'order-' . $order->id . '-cancelled',
            'occurredAt' => $now->format(DateTime::ATOM),
            'data' => ['orderId' => (string) $order->id],
        ];
    }

    /** One credit slip (a row of OrderSlip::getOrdersSlip) as a refund. */
    public static function refund($order, array $slip, $currency, $timeZone)
    {
        $iso = strtoupper($currency->iso_code);
        $products = isset($slip['total_products_tax_incl']) ? $slip['total_products_tax_incl'] : $slip['amount'];
        $shipping = isset($slip['total_shipping_tax_incl'])
            ? $slip['total_shipping_tax_incl']
            : (isset($slip['shipping_cost_amount']) ? $slip['shipping_cost_amount'] : 0);
        $event = [
            'type' => 'order.refunded',
            'id' => 'slip-' . $slip['id_order_slip'],
            'data' => [
                'orderId' => (string) $order->id,
                'refundId' => (string) $slip['id_order_slip'],
                'amount' => self::minor($products, $iso) + self::minor($shipping, $iso),
                'currency' => $iso,
            ],
        ];
        $at = self::isoTime(isset($slip['date_add']) ? $slip['date_add'] : null, $timeZone);
        if ($at !== null) {
            $event['occurredAt'] = $at;
        }

        return $event;
    }

    private static function customerData($customer)
    {
        $data = ['id' => (string) $customer->id];
        if (Validate::isEmail($customer->email)) {
            $data['email'] = (string) $customer->email;
        }
        if ((string) $customer->firstname !== '') {
            $data['firstName'] = (string) $customer->firstname;
        }
        if ((string) $customer->lastname !== '') {
            $data['lastName'] = (string) $customer->lastname;
        }
        if (is_string($customer->birthday) && preg_match('/^[1-9]\d{3}-\d{2}-\d{2}$/', $customer->birthday)) {
            $data['birthday'] = $customer->birthday;
        }
        $data['acceptsMarketing'] = ['email' => (bool) $customer->newsletter];

        return $data;
    }
}
