<?php
/**
 * Runs the lojal module's hooks against a Lojal server, as a shop would while taking an order:
 *   php run.php <lojal-url> <api-key> <all|one>
 * Prints {"logs": [...], "elapsedMs": n, "threw": null|message} as JSON. Run by
 * apps/server/test/platforms/prestashop/prestashop-module.test.ts.
 */
require __DIR__ . '/stubs.php';
require __DIR__ . '/../lojal/lojal.php';

list(, $url, $key, $scenario) = $argv + [null, '', '', 'all'];
Configuration::updateValue('LOJAL_URL', $url);
Configuration::updateValue('LOJAL_API_KEY', $key);
Configuration::updateValue('PS_TIMEZONE', 'Europe/Warsaw');
Configuration::updateValue('PS_OS_CANCELED', 6);

$customer = Customer::define(7, [
    'email' => 'ala@example.pl',
    'firstname' => 'Ala',
    'lastname' => 'Nowak',
    'birthday' => '0000-00-00',
    'newsletter' => 1,
    'date_add' => '2025-06-01 11:00:00',
    'date_upd' => '2025-06-01 11:00:00',
]);
Currency::define(1, ['iso_code' => 'PLN']);
$order = Order::define(42, [
    'id_customer' => 7,
    'id_currency' => 1,
    'date_add' => '2025-06-01 12:00:00',
    'total_paid_tax_incl' => 123.0,
    'total_products_wt' => 113.0,
    'total_shipping_tax_incl' => 10.0,
    'total_discounts_tax_incl' => 0.0,
    'products' => [[
        'product_id' => 7,
        'product_quantity' => 2,
        'unit_price_tax_incl' => 56.5,
        'product_reference' => 'KAWA-1KG',
        'product_name' => 'Kawa',
    ]],
]);
Registry::$slips[42] = [[
    'id_order_slip' => 9,
    'total_products_tax_incl' => '20.000000',
    'total_shipping_tax_incl' => '10.000000',
    'date_add' => '2025-06-03 09:00:00',
]];
$paid = OrderState::define(2, ['logable' => true]);
$cancelled = OrderState::define(6, ['logable' => false]);

$module = new Lojal();
$started = microtime(true);
$threw = null;
try {
    $module->hookActionObjectCustomerAddAfter(['object' => $customer]);
    if ($scenario === 'all') {
        $module->hookActionValidateOrder(['order' => $order, 'customer' => $customer, 'orderStatus' => $paid]);
        // the same state change again (a retried request): Lojal applies it once
        $module->hookActionOrderStatusPostUpdate(['newOrderStatus' => $paid, 'id_order' => 42]);
        $module->hookActionOrderSlipAdd(['order' => $order, 'productList' => [], 'qtyList' => []]);
        $module->hookActionOrderStatusPostUpdate(['newOrderStatus' => $cancelled, 'id_order' => 42]);
        // PrestaShop's ObjectModel::update() stamps date_upd with the shop's wall clock
        $customer->birthday = '1990-05-17';
        $customer->date_upd = (new DateTime('now', new DateTimeZone('Europe/Warsaw')))->format('Y-m-d H:i:s');
        $module->hookActionObjectCustomerUpdateAfter(['object' => $customer]);
    }
} catch (\Throwable $e) {
    $threw = get_class($e) . ': ' . $e->getMessage();
}
echo json_encode([
    'logs' => PrestaShopLogger::$logs,
    'elapsedMs' => (int) round((microtime(true) - $started) * 1000),
    'threw' => $threw,
]), "\n";
