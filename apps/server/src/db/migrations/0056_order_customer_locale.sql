-- The language the buyer shopped in, when the platform says (Shopify's customer_locale): a
-- bought gift card's confirmation to its buyer is written in it (docs/gift-cards.md).
ALTER TABLE orders ADD COLUMN customer_locale text CHECK (customer_locale IN ('pl', 'en'));
