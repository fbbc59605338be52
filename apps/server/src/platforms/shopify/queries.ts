/**
 * The GraphQL Admin API documents Lojal sends, and nothing else: the fake in
 * test/platforms/shopify/fake-shopify.ts answers exactly these. Field names follow the 2025-07
 * schema (shopify.dev GraphQL Admin reference); `customerSelection` is that version's customer
 * eligibility (2025-10 renames it `context`).
 */

/**
 * A page's requested cost must stay under 1,000 points, Shopify's most for one query: an object
 * costs 1, a connection or list `first` × its node. An order here is about 1 + 13 (customer,
 * consents, five money sets) + 10 lines × 5 + 10 refunds × 3 ≈ 96, so 10 orders a page; an
 * order with more lines is completed with extra calls (pull.ts), more than 10 refunds come only
 * through refunds/create webhooks.
 */
export const ORDERS_PER_PAGE = 10;
export const LINES_PER_ORDER = 10;
export const REFUNDS_PER_ORDER = 10;
export const CUSTOMERS_PER_PAGE = 100;

export const SHOP_QUERY = /* GraphQL */ `
  query LojalShop {
    shop {
      name
    }
  }
`;

const MONEY = 'shopMoney { amount currencyCode }';

const CUSTOMER_FIELDS = `id email phone firstName lastName updatedAt tags
  emailMarketingConsent { marketingState }
  smsMarketingConsent { marketingState }`;

const LINE_FIELDS = `id sku title name quantity
  product { id }
  variant { id }
  originalUnitPriceSet { ${MONEY} }`;

export const ORDERS_QUERY = /* GraphQL */ `query LojalOrders($first: Int!, $after: String, $query: String!, $sortKey: OrderSortKeys!, $lines: Int!) {
  orders(first: $first, after: $after, query: $query, sortKey: $sortKey) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name email customerLocale createdAt updatedAt processedAt cancelledAt
      displayFinancialStatus displayFulfillmentStatus currencyCode discountCodes
      totalPriceSet { ${MONEY} }
      subtotalPriceSet { ${MONEY} }
      totalShippingPriceSet { ${MONEY} }
      totalTaxSet { ${MONEY} }
      totalDiscountsSet { ${MONEY} }
      customer { ${CUSTOMER_FIELDS} }
      lineItems(first: $lines) { pageInfo { hasNextPage endCursor } nodes { ${LINE_FIELDS} } }
      refunds(first: ${REFUNDS_PER_ORDER}) { id createdAt note totalRefundedSet { ${MONEY} } }
    }
  }
}`;

/** The rest of an order's lines when it has more than a page holds. */
export const ORDER_LINES_QUERY = /* GraphQL */ `query LojalOrderLines($id: ID!, $after: String) {
  order(id: $id) {
    lineItems(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${LINE_FIELDS} } }
  }
}`;

export const CUSTOMERS_QUERY = /* GraphQL */ `query LojalCustomers($first: Int!, $after: String, $query: String!) {
  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { ${CUSTOMER_FIELDS} }
  }
}`;

const USER_ERRORS = 'userErrors { field code message }';

export const CODE_LOOKUP_QUERY = /* GraphQL */ `
  query LojalCodeLookup($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        __typename
        ... on DiscountCodeBasic {
          title
          status
        }
        ... on DiscountCodeFreeShipping {
          title
          status
        }
      }
    }
  }
`;

/** The campaign's one discount, found by the campaign id Lojal puts in its title. */
export const CAMPAIGN_LOOKUP_QUERY = /* GraphQL */ `
  query LojalCampaignDiscount($query: String!) {
    codeDiscountNodes(first: 1, query: $query) {
      nodes {
        id
        codeDiscount {
          __typename
          ... on DiscountCodeBasic {
            title
          }
          ... on DiscountCodeFreeShipping {
            title
          }
        }
      }
    }
  }
`;

export const BASIC_CREATE = /* GraphQL */ `mutation LojalBasicCode($input: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $input) { codeDiscountNode { id } ${USER_ERRORS} }
}`;

export const FREE_SHIPPING_CREATE = /* GraphQL */ `mutation LojalFreeShippingCode($input: DiscountCodeFreeShippingInput!) {
  discountCodeFreeShippingCreate(freeShippingCodeDiscount: $input) { codeDiscountNode { id } ${USER_ERRORS} }
}`;

export const BULK_ADD = /* GraphQL */ `mutation LojalBulkCodes($discountId: ID!, $codes: [DiscountRedeemCodeInput!]!) {
  discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes) { bulkCreation { id } ${USER_ERRORS} }
}`;

export const BULK_CREATION_QUERY = /* GraphQL */ `
  query LojalBulkCreation($id: ID!) {
    discountRedeemCodeBulkCreation(id: $id) {
      id
      done
      codesCount
      importedCount
      failedCount
      codes(first: 250) {
        nodes {
          code
          discountRedeemCode {
            id
          }
          errors {
            field
            code
            message
          }
        }
      }
    }
  }
`;

export const DEACTIVATE = /* GraphQL */ `mutation LojalDeactivate($id: ID!) {
  discountCodeDeactivate(id: $id) { codeDiscountNode { id } ${USER_ERRORS} }
}`;

export const REDEEM_CODE_DELETE = /* GraphQL */ `mutation LojalDeleteRedeemCode($discountId: ID!, $search: String!) {
  discountCodeRedeemCodeBulkDelete(discountId: $discountId, search: $search) { job { id } ${USER_ERRORS} }
}`;

export const ORDERS_COUNT_QUERY = /* GraphQL */ `
  query LojalOrdersCount($query: String!) {
    ordersCount(query: $query, limit: null) {
      count
      precision
    }
  }
`;
