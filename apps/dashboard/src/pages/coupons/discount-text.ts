import { useIntl } from 'react-intl';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import type { Discount } from './coupons-data.ts';

/** A campaign's discount in words, in the shop's currency. */
export function useDiscountText() {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  return (d: Discount) => {
    switch (d.kind) {
      case 'fixed':
        return intl.formatMessage(
          { id: 'coupons.discount.fixed' },
          { amount: fmt.money(d.amount) },
        );
      case 'percentage':
        return d.cap
          ? intl.formatMessage(
              { id: 'coupons.discount.percentCapped' },
              { percent: fmt.number(d.percent), cap: fmt.money(d.cap) },
            )
          : intl.formatMessage(
              { id: 'coupons.discount.percent' },
              { percent: fmt.number(d.percent) },
            );
      case 'free_shipping':
        return intl.formatMessage({ id: 'coupons.discount.freeShipping' });
      case 'free_product':
        return intl.formatMessage({ id: 'coupons.discount.freeProduct' }, { product: d.productId });
    }
  };
}
