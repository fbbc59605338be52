<?php
/**
 * Lojal for PrestaShop: sends paid and cancelled orders, refunds (credit slips) and customers to
 * Lojal's /v1/events as they happen. It never breaks a checkout: each event has a 2-second
 * budget, any failure is logged (Advanced Parameters → Logs) and Lojal's reconciliation pull
 * through the Webservice brings what was missed. See README.md.
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

require_once __DIR__ . '/classes/LojalEvents.php';
require_once __DIR__ . '/classes/LojalClient.php';

class Lojal extends Module
{
    const CONFIG_URL = 'LOJAL_URL';
    const CONFIG_KEY = 'LOJAL_API_KEY';

    const HOOKS = [
        'actionValidateOrder',
        'actionOrderStatusPostUpdate',
        'actionOrderSlipAdd',
        'actionObjectCustomerAddAfter',
        'actionObjectCustomerUpdateAfter',
    ];

    /** @var LojalClient|null */
    private $client;

    public function __construct()
    {
        $this->name = 'lojal';
        $this->tab = 'advertising_marketing';
        $this->version = '1.0.0';
        $this->author = 'Lojal';
        $this->need_instance = 0;
        $this->ps_versions_compliancy = ['min' => '1.7.0.0', 'max' => _PS_VERSION_];
        $this->bootstrap = true;
        parent::__construct();
        $this->displayName = $this->l('Lojal loyalty');
        $this->description = $this->l('Sends orders, refunds and customers to Lojal.');
        $this->confirmUninstall = $this->l('Lojal will stop receiving orders from this shop until it is installed again.');
    }

    public function install()
    {
        return parent::install() && $this->registerHook(self::HOOKS);
    }

    public function uninstall()
    {
        Configuration::deleteByName(self::CONFIG_URL);
        Configuration::deleteByName(self::CONFIG_KEY);

        return parent::uninstall();
    }

    // ---- settings page ---------------------------------------------------------------------

    public function getContent()
    {
        $output = '';
        if (Tools::isSubmit('submitLojal')) {
            $url = rtrim(trim((string) Tools::getValue(self::CONFIG_URL)), '/');
            $key = trim((string) Tools::getValue(self::CONFIG_KEY));
            $error = self::urlError($url);
            if ($error !== null) {
                $output .= $this->displayError($error);
            } else {
                Configuration::updateValue(self::CONFIG_URL, $url);
                // An empty key field keeps the saved key: the form never shows it.
                if ($key !== '') {
                    Configuration::updateValue(self::CONFIG_KEY, $key);
                }
                $output .= $this->displayConfirmation($this->l('Settings saved.'));
            }
        }

        return $output . $this->renderForm();
    }

    /** Why a Lojal address cannot be used, or null: https, or http to this machine only. */
    public static function urlError($url)
    {
        $parts = parse_url($url);
        if (!$parts || empty($parts['scheme']) || empty($parts['host'])) {
            return 'The Lojal address must look like https://lojal.example.com';
        }
        $local = in_array($parts['host'], ['localhost', '127.0.0.1', '::1'], true);
        if ($parts['scheme'] !== 'https' && !($parts['scheme'] === 'http' && $local)) {
            return 'The Lojal address must start with https:// (the API key travels with every event)';
        }

        return null;
    }

    private function renderForm()
    {
        $helper = new HelperForm();
        $helper->module = $this;
        $helper->name_controller = $this->name;
        $helper->identifier = $this->identifier;
        $helper->token = Tools::getAdminTokenLite('AdminModules');
        $helper->currentIndex = AdminController::$currentIndex . '&configure=' . $this->name;
        $helper->submit_action = 'submitLojal';
        $helper->default_form_language = (int) Configuration::get('PS_LANG_DEFAULT');
        $helper->fields_value = [
            self::CONFIG_URL => Configuration::get(self::CONFIG_URL),
            self::CONFIG_KEY => '',
        ];
        $saved = (string) Configuration::get(self::CONFIG_KEY) !== '';

        return $helper->generateForm([[
            'form' => [
                'legend' => ['title' => $this->l('Lojal'), 'icon' => 'icon-cogs'],
                'input' => [
                    [
                        'type' => 'text',
                        'label' => $this->l('Lojal address'),
                        'name' => self::CONFIG_URL,
                        'required' => true,
                        'desc' => $this->l('For example https://lojal.example.com'),
                    ],
                    [
                        'type' => 'password',
                        'label' => $this->l('API key'),
                        'name' => self::CONFIG_KEY,
                        'required' => !$saved,
                        'desc' => $saved
                            ? $this->l('A key is saved. Leave empty to keep it.')
                            : $this->l('The shop\'s API key from Lojal.'),
                    ],
                ],
                'submit' => ['title' => $this->l('Save')],
            ],
        ]]);
    }

    // ---- hooks -----------------------------------------------------------------------------

    /** An order was placed: paid at once when its first state counts as validated (logable). */
    public function hookActionValidateOrder($params)
    {
        $this->safely(function () use ($params) {
            $order = isset($params['order']) ? $params['order'] : null;
            $state = isset($params['orderStatus']) ? $params['orderStatus'] : null;
            if (!Validate::isLoadedObject($order) || !$state || !$state->logable) {
                return;
            }
            $this->sendOrderPaid($order);
        });
    }

    /** A state change: a validated state means paid, the cancelled state means cancelled. */
    public function hookActionOrderStatusPostUpdate($params)
    {
        $this->safely(function () use ($params) {
            $state = isset($params['newOrderStatus']) ? $params['newOrderStatus'] : null;
            $order = new Order((int) $params['id_order']);
            if (!$state || !Validate::isLoadedObject($order)) {
                return;
            }
            if ((int) $state->id === (int) Configuration::get('PS_OS_CANCELED')) {
                $this->send(LojalEvents::orderCancelled($order, $this->now()));
            } elseif ($state->logable) {
                $this->sendOrderPaid($order);
            }
        });
    }

    /**
     * A credit slip (refund) was added. The hook does not name the new slip, so every slip of the
     * order is sent; Lojal applies each slip id once.
     */
    public function hookActionOrderSlipAdd($params)
    {
        $this->safely(function () use ($params) {
            $order = isset($params['order']) ? $params['order'] : null;
            if (!Validate::isLoadedObject($order)) {
                return;
            }
            $currency = new Currency((int) $order->id_currency);
            foreach (OrderSlip::getOrdersSlip((int) $order->id_customer, (int) $order->id) as $slip) {
                $this->send(LojalEvents::refund($order, $slip, $currency, $this->timeZone()));
            }
        });
    }

    public function hookActionObjectCustomerAddAfter($params)
    {
        $this->safely(function () use ($params) {
            if (isset($params['object']) && Validate::isLoadedObject($params['object'])) {
                $this->send(LojalEvents::customer($params['object'], true, $this->timeZone()));
            }
        });
    }

    public function hookActionObjectCustomerUpdateAfter($params)
    {
        $this->safely(function () use ($params) {
            if (isset($params['object']) && Validate::isLoadedObject($params['object'])) {
                $this->send(LojalEvents::customer($params['object'], false, $this->timeZone()));
            }
        });
    }

    // ---- sending ---------------------------------------------------------------------------

    private function sendOrderPaid($order)
    {
        $customer = new Customer((int) $order->id_customer);
        $currency = new Currency((int) $order->id_currency);
        $this->send(LojalEvents::orderPaid(
            $order,
            $customer,
            $currency,
            $order->getProducts(),
            $this->timeZone(),
            $this->now()
        ));
    }

    private function send(array $event)
    {
        if ($this->client === null) {
            $this->client = new LojalClient(
                Configuration::get(self::CONFIG_URL),
                Configuration::get(self::CONFIG_KEY)
            );
        }
        if (!$this->client->configured()) {
            return;
        }
        $result = $this->client->send($event);
        if (!$result['ok']) {
            // 4xx: Lojal refused this event (it will not come by itself); else Lojal was away.
            $severity = $result['status'] >= 400 && $result['status'] < 500 ? 3 : 2;
            $this->log(
                sprintf('Lojal did not take %s %s: %s', $event['type'], $event['id'], $result['error']),
                $severity
            );
        }
    }

    /** Whatever goes wrong here is logged; the shop's own work goes on. */
    private function safely(callable $work)
    {
        try {
            $work();
        } catch (\Throwable $e) {
            $this->log('Lojal: ' . $e->getMessage(), 3);
        }
    }

    private function log($message, $severity)
    {
        try {
            PrestaShopLogger::addLog($message, $severity, null, 'Lojal', 0, true);
        } catch (\Throwable $e) {
            error_log($message);
        }
    }

    private function timeZone()
    {
        $zone = (string) Configuration::get('PS_TIMEZONE');

        return $zone !== '' ? $zone : date_default_timezone_get();
    }

    private function now()
    {
        return new DateTime('now', new DateTimeZone($this->timeZone()));
    }
}
