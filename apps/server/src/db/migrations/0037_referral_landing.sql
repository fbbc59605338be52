-- Referral landing page (issue 15, item 4): what a referral link of a campaign shows. `page`
-- (the default) shows the referrer's first name, the friend's offer and the code before going on
-- to the shop; `redirect` sends the visitor straight to the storefront as before.
ALTER TABLE referral_campaigns
  ADD COLUMN landing text NOT NULL DEFAULT 'page' CHECK (landing IN ('page', 'redirect'));
