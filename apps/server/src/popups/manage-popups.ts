import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems, type FieldError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { findSegmentRules } from '../segments/manage-segments.ts';
import {
  popupView,
  definitionOf,
  type PopupChanges,
  type PopupDefinition,
  type PopupInput,
  type PopupRow,
} from './popup-schema.ts';

/** The welcome coupon's campaign and the audience's segments must be the shop's own. */
async function checkReferences(
  db: Db,
  shop: ShopRow,
  input: { welcomeCoupon?: PopupInput['welcomeCoupon']; audience?: PopupInput['audience'] },
) {
  const errors: FieldError[] = [];
  const campaignId = input.welcomeCoupon?.campaignId;
  if (campaignId) {
    const campaign = await db
      .selectFrom('coupon_campaigns')
      .select(['archived_at'])
      .where('shop_id', '=', shop.id)
      .where('id', '=', campaignId)
      .executeTakeFirst();
    if (!campaign) {
      errors.push({ path: 'welcomeCoupon.campaignId', message: 'no such coupon campaign' });
    } else if (campaign.archived_at) {
      errors.push({ path: 'welcomeCoupon.campaignId', message: 'the campaign is archived' });
    }
  }
  for (const [i, segmentId] of (input.audience?.segmentIds ?? []).entries()) {
    try {
      await findSegmentRules(db, shop, segmentId);
    } catch {
      errors.push({ path: `audience.segmentIds.${i}`, message: 'no such segment' });
    }
  }
  if (errors.length > 0) throw problems.validation(errors);
}

export async function createPopup(db: Db, clock: Clock, shop: ShopRow, input: PopupInput) {
  await checkReferences(db, shop, input);
  const now = clock.now();
  const definition: PopupDefinition = {
    variants: input.variants,
    triggers: input.triggers,
    pages: input.pages,
    audience: input.audience,
    frequency: input.frequency,
  };
  const row = await db
    .insertInto('popups')
    .values({
      shop_id: shop.id,
      id: newId('pop'),
      name: input.name,
      kind: input.kind,
      status: input.status,
      definition: JSON.stringify(definition),
      coupon_campaign_id: input.welcomeCoupon?.campaignId ?? null,
      coupon_valid_days: input.welcomeCoupon?.validDays ?? null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return popupView(row);
}

export async function findPopup(db: Db, shopId: string, popupId: string): Promise<PopupRow> {
  const row = await db
    .selectFrom('popups')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('id', '=', popupId)
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Pop-up ${popupId}`);
  return row;
}

export async function listPopups(db: Db, shop: ShopRow, options: { archived: boolean }) {
  let query = db.selectFrom('popups').selectAll().where('shop_id', '=', shop.id);
  if (!options.archived) query = query.where('status', '!=', 'archived');
  const rows = await query.orderBy('id', 'desc').execute();
  return rows.map(popupView);
}

/**
 * Changes a pop-up: pause, resume, archive, or its texts and rules. An archived pop-up stays as
 * it was (its results are kept); changing it answers 409.
 */
export async function updatePopup(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  popupId: string,
  changes: PopupChanges,
) {
  await checkReferences(db, shop, changes);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('popups')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('id', '=', popupId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw problems.notFound(`Pop-up ${popupId}`);
    if (row.status === 'archived') {
      throw problems.conflict('The pop-up is archived; create a new one instead.');
    }
    const current = definitionOf(row);
    const definition: PopupDefinition = {
      variants: changes.variants ?? current.variants,
      triggers: changes.triggers ?? current.triggers,
      pages: changes.pages ?? current.pages,
      audience: changes.audience ?? current.audience,
      frequency: changes.frequency ?? current.frequency,
    };
    const coupon =
      changes.welcomeCoupon === undefined
        ? {}
        : {
            coupon_campaign_id: changes.welcomeCoupon?.campaignId ?? null,
            coupon_valid_days: changes.welcomeCoupon?.validDays ?? null,
          };
    const updated = await tx
      .updateTable('popups')
      .set({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.status !== undefined && { status: changes.status }),
        definition: JSON.stringify(definition),
        ...coupon,
        updated_at: clock.now(),
      })
      .where('shop_id', '=', shop.id)
      .where('id', '=', popupId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return popupView(updated);
  });
}
