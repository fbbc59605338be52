<?php
/**
 * The few PrestaShop classes the lojal module touches, as plain stand-ins, so its hooks run
 * under the PHP CLI without a shop. Objects are looked up in Registry by id, as `new Order($id)`
 * loads them in PrestaShop.
 */
define('_PS_VERSION_', '8.1.0');

class Registry
{
    public static $objects = [];
    public static $slips = [];
}

abstract class StubObject
{
    public $id;

    public function __construct($id = null)
    {
        $key = static::class . ':' . (int) $id;
        if ($id !== null && isset(Registry::$objects[$key])) {
            foreach (Registry::$objects[$key] as $field => $value) {
                $this->$field = $value;
            }
        }
    }

    public static function define($id, array $fields)
    {
        Registry::$objects[static::class . ':' . (int) $id] = ['id' => $id] + $fields;

        return new static($id);
    }
}

class Order extends StubObject
{
    public $products = [];

    public function getProducts()
    {
        return $this->products;
    }
}

class Customer extends StubObject
{
}

class Currency extends StubObject
{
}

class OrderState extends StubObject
{
    public $logable = false;
}

class OrderSlip
{
    public static function getOrdersSlip($customerId, $orderId)
    {
        return isset(Registry::$slips[$orderId]) ? Registry::$slips[$orderId] : [];
    }
}

class Module
{
    public $name;
    public $identifier = 'id_module';

    public function __construct()
    {
    }

    public function l($text)
    {
        return $text;
    }

    public function install()
    {
        return true;
    }

    public function uninstall()
    {
        return true;
    }

    public function registerHook($hooks)
    {
        return true;
    }
}

class Configuration
{
    public static $values = [];

    public static function get($key)
    {
        return isset(self::$values[$key]) ? self::$values[$key] : false;
    }

    public static function updateValue($key, $value)
    {
        self::$values[$key] = $value;

        return true;
    }

    public static function deleteByName($key)
    {
        unset(self::$values[$key]);

        return true;
    }
}

class Validate
{
    public static function isLoadedObject($object)
    {
        return is_object($object) && !empty($object->id);
    }

    public static function isEmail($email)
    {
        return is_string($email) && filter_var($email, FILTER_VALIDATE_EMAIL) !== false;
    }
}

class PrestaShopLogger
{
    public static $logs = [];

    public static function addLog($message, $severity = 1, $errorCode = null, $objectType = null, $objectId = null, $allowDuplicate = false)
    {
        self::$logs[] = ['message' => $message, 'severity' => $severity];

        return true;
    }
}
