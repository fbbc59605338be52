<?php
/**
 * Posts one event to Lojal with a short timeout. It never throws: a shop's checkout must not
 * wait for, or fail because of, Lojal. A failure is returned for the module to log; Lojal's
 * reconciliation pull through the Webservice brings what was missed.
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

class LojalClient
{
    /** Total time for one event: the customer's page waits at most this long. */
    const TIMEOUT_MS = 2000;
    const CONNECT_TIMEOUT_MS = 1000;

    private $baseUrl;
    private $apiKey;

    public function __construct($baseUrl, $apiKey)
    {
        $this->baseUrl = rtrim((string) $baseUrl, '/');
        $this->apiKey = (string) $apiKey;
    }

    public function configured()
    {
        return $this->baseUrl !== '' && $this->apiKey !== '';
    }

    /**
     * @return array{ok: bool, status: int, error: string|null}
     */
    public function send(array $event)
    {
        if (!$this->configured()) {
            return ['ok' => false, 'status' => 0, 'error' => 'Lojal URL or API key is not set'];
        }
        $body = json_encode($event, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        if ($body === false) {
            return ['ok' => false, 'status' => 0, 'error' => 'the event could not be encoded'];
        }
        try {
            list($status, $answer, $error) = function_exists('curl_init')
                ? $this->viaCurl($body)
                : $this->viaStream($body);
        } catch (\Throwable $e) {
            return ['ok' => false, 'status' => 0, 'error' => $e->getMessage()];
        }
        if ($status >= 200 && $status < 300) {
            return ['ok' => true, 'status' => $status, 'error' => null];
        }
        $reason = $error !== null ? $error : 'HTTP ' . $status . ' ' . substr((string) $answer, 0, 300);

        return ['ok' => false, 'status' => $status, 'error' => $reason];
    }

    private function headers()
    {
        return [
            'Content-Type: application/json',
            'Accept: application/json',
            'Authorization: Bearer ' . $this->apiKey,
            'User-Agent: Lojal-PrestaShop/1.0',
        ];
    }

    private function viaCurl($body)
    {
        $curl = curl_init($this->baseUrl . '/v1/events');
        curl_setopt_array($curl, [
            CURLOPT_POST => true,
            CURLOPT_POSTFIELDS => $body,
            CURLOPT_HTTPHEADER => $this->headers(),
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT_MS => self::TIMEOUT_MS,
            CURLOPT_CONNECTTIMEOUT_MS => self::CONNECT_TIMEOUT_MS,
            // Millisecond timeouts need this on hosts whose resolver uses signals.
            CURLOPT_NOSIGNAL => true,
            CURLOPT_FOLLOWLOCATION => false,
        ]);
        $answer = curl_exec($curl);
        $status = (int) curl_getinfo($curl, CURLINFO_HTTP_CODE);
        $error = $answer === false ? curl_error($curl) : null;
        curl_close($curl);

        return [$status, $answer, $error];
    }

    private function viaStream($body)
    {
        $context = stream_context_create(['http' => [
            'method' => 'POST',
            'header' => implode("\r\n", $this->headers()),
            'content' => $body,
            'timeout' => self::TIMEOUT_MS / 1000,
            'ignore_errors' => true,
            'follow_location' => 0,
        ]]);
        $answer = @file_get_contents($this->baseUrl . '/v1/events', false, $context);
        $status = 0;
        if (isset($http_response_header[0]) && preg_match('#^HTTP/\S+ (\d{3})#', $http_response_header[0], $m)) {
            $status = (int) $m[1];
        }
        $error = $answer === false ? 'no answer from Lojal' : null;

        return [$status, $answer, $error];
    }
}
