-- The shop's current CLV model: the latest fit, used to predict each customer's value.
CREATE TABLE clv_models (
  shop_id          text PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
  fitted_at        timestamptz NOT NULL,
  calibration_end  date NOT NULL,
  customers        integer NOT NULL,
  bgnbd            jsonb NOT NULL,
  gamma_gamma      jsonb
);
