import type { Db, Tx } from '../db/connect.ts';
import { problems } from '../shared/errors.ts';

export interface GiftCardProductInput {
  /** `any`: the card is worth what the line's unit was sold for; `fixed`: the variant's value. */
  amounts: 'any' | 'fixed';
  /** Variant id → minor units, for `fixed`. */
  variantAmounts?: Record<string, number>;
  /** Cards expire this many months after issue; never when absent. */
  validMonths?: number | null;
}

interface ProductRow {
  product_id: string;
  amounts: 'any' | 'fixed';
  variant_amounts: Record<string, number>;
  valid_months: number | null;
  updated_at: Date;
  name: string | null;
}

function view(row: ProductRow) {
  return {
    productId: row.product_id,
    name: row.name,
    amounts: row.amounts,
    variantAmounts: row.variant_amounts,
    validMonths: row.valid_months,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The products the shop sells as gift cards, with their catalogue names where known. */
export async function listGiftCardProducts(db: Db, shopId: string) {
  const rows = await db
    .selectFrom('gift_card_products as g')
    .leftJoin('products as p', (j) =>
      j.onRef('p.shop_id', '=', 'g.shop_id').onRef('p.external_id', '=', 'g.product_id'),
    )
    .select([
      'g.product_id',
      'g.amounts',
      'g.variant_amounts',
      'g.valid_months',
      'g.updated_at',
      'p.name',
    ])
    .where('g.shop_id', '=', shopId)
    .orderBy('g.product_id')
    .execute();
  return rows.map(view);
}

/** Marks a platform product (its id in the shop's platform) as a gift card, or changes how. */
export async function putGiftCardProduct(
  db: Db,
  shopId: string,
  productId: string,
  input: GiftCardProductInput,
  now: Date,
) {
  const variants = input.variantAmounts ?? {};
  if (input.amounts === 'fixed' && Object.keys(variants).length === 0) {
    throw problems.validation([
      { path: 'variantAmounts', message: 'fixed values need at least one variant and its value' },
    ]);
  }
  const values = {
    amounts: input.amounts,
    variant_amounts: JSON.stringify(input.amounts === 'fixed' ? variants : {}),
    valid_months: input.validMonths ?? null,
    updated_at: now,
  };
  await db
    .insertInto('gift_card_products')
    .values({ shop_id: shopId, product_id: productId, created_at: now, ...values })
    .onConflict((oc) => oc.columns(['shop_id', 'product_id']).doUpdateSet(values))
    .execute();
  const all = await listGiftCardProducts(db, shopId);
  return all.find((p) => p.productId === productId)!;
}

export async function deleteGiftCardProduct(db: Db, shopId: string, productId: string) {
  const gone = await db
    .deleteFrom('gift_card_products')
    .where('shop_id', '=', shopId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  if (gone.numDeletedRows === 0n) throw problems.notFound(`Gift card product ${productId}`);
}

/** The settings of those of `productIds` that are gift cards, by product id. */
export async function giftCardProductsById(tx: Tx, shopId: string, productIds: string[]) {
  if (productIds.length === 0) return new Map<string, ProductRow>();
  const rows = await tx
    .selectFrom('gift_card_products')
    .select(['product_id', 'amounts', 'variant_amounts', 'valid_months', 'updated_at'])
    .where('shop_id', '=', shopId)
    .where('product_id', 'in', productIds)
    .execute();
  return new Map(rows.map((r) => [r.product_id, { ...r, name: null }]));
}
