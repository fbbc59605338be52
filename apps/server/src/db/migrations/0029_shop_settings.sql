-- The shop's brand kit (issue 14, Settings): a logo and two colours for the widget and the
-- e-mail header. Null = not set (the widget and e-mails use their own defaults). The storefront
-- URL already lives in shops.storefront_url (0013). Checked here as well as in the API, so no
-- other writer can store a colour the widget cannot use.
ALTER TABLE shops
  ADD COLUMN brand_logo_url      text,
  ADD COLUMN brand_primary_color text CHECK (brand_primary_color ~ '^#[0-9a-f]{6}$'),
  ADD COLUMN brand_accent_color  text CHECK (brand_accent_color ~ '^#[0-9a-f]{6}$');
