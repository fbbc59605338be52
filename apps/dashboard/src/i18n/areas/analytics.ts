import { defineMessages } from '../define-messages.ts';

/** The analytics pages: cohorts, repeat purchases and RFM, CLV, points, lift, messages, benefits. */
export const analyticsMessages = defineMessages(
  {
    'analytics.title': 'Analytics',
    'analytics.period': 'From {from} to {to} (the shop’s days)',
    'analytics.months': 'Period',
    'analytics.monthsOption': 'Last {count} months',
    'analytics.csv': 'Download CSV',
    'analytics.noRows': 'Nothing to show for this period.',
    'analytics.tab.cohorts': 'Cohorts',
    'analytics.tab.repeat': 'Repeat purchases',
    'analytics.tab.clv': 'Customer value',
    'analytics.tab.points': 'Points',
    'analytics.tab.lift': 'Programme lift',
    'analytics.tab.messages': 'Messages',
    'analytics.tab.benefits': 'Benefits',

    'analytics.cohorts.intro':
      'Customers grouped by the month of their first paid order; each cell is the share of the group that bought again in a later month.',
    'analytics.cohorts.empty': 'No customer placed a first order in this period.',
    'analytics.cohorts.table': 'Cohort retention',
    'analytics.cohorts.cohort': 'First order',
    'analytics.cohorts.cohortHint':
      'The cohort: the calendar month (shop time zone) of the customers’ first paid, not cancelled order ever.',
    'analytics.cohorts.customers': 'Customers',
    'analytics.cohorts.customersHint': 'Customers whose first counted order is in this month.',
    'analytics.cohorts.monthK': 'Month {k}',
    'analytics.cohorts.monthHint':
      'Share of the cohort with a paid order in the {k}th month after the first one (month 0: the first month itself, always 100%). The current month counts its days so far.',
    'analytics.cohorts.monthsAfter': 'Months after the first order',

    'analytics.repeat.intro':
      '{customers, plural, one {# customer} other {# customers}} placed a first order in this period; half of those who came back did so within {median} days.',
    'analytics.repeat.empty': 'No customer placed a first order in this period.',
    'analytics.repeat.gapTitle': 'Time to the second order',
    'analytics.repeat.gapDays': 'Days after the first order',
    'analytics.repeat.gapHint':
      'Calendar days (shop time zone) between a customer’s first and second purchase day, for customers whose first order is in the period.',
    'analytics.repeat.customers': 'Customers',
    'analytics.repeat.gapCustomersHint':
      'Customers whose second purchase came this many days after the first.',
    'analytics.repeat.upTo': 'up to {days, plural, one {# day} other {# days}}',
    'analytics.repeat.moreThan': 'more than {days, plural, one {# day} other {# days}}',
    'analytics.repeat.days': '{days, plural, one {# day} other {# days}}',
    'analytics.repeat.curveTitle': 'Repeat curve',
    'analytics.repeat.within': 'Within',
    'analytics.repeat.withinHint': 'Days after the first order.',
    'analytics.repeat.eligible': 'Customers',
    'analytics.repeat.eligibleHint':
      'Customers acquired in the period whose first order is at least this many days old (younger ones could not have repeated yet).',
    'analytics.repeat.rate': 'Bought again',
    'analytics.repeat.rateHint':
      'Share of those customers with a second purchase day within this many days of the first.',
    'analytics.repeat.retentionTitle': 'Retention curve',
    'analytics.repeat.month': 'Month',
    'analytics.repeat.monthHint': 'Months after the month of the first order.',
    'analytics.repeat.cohortCustomers': 'Customers',
    'analytics.repeat.cohortCustomersHint':
      'Customers of the period’s cohorts old enough to have this month (the current month counts).',
    'analytics.repeat.retention': 'Bought that month',
    'analytics.repeat.retentionHint':
      'Share of them with a paid order in that month: the cohort heatmap’s columns, weighted by cohort size.',

    'analytics.nvr.title': 'Revenue: new and returning customers',
    'analytics.nvr.who': 'Who bought',
    'analytics.nvr.whoHint':
      'New: first counted order ever in the period. Returning: first order before the period. Guests: orders without a customer.',
    'analytics.nvr.new': 'New customers',
    'analytics.nvr.returning': 'Returning customers',
    'analytics.nvr.guests': 'Guests',
    'analytics.nvr.customers': 'Customers',
    'analytics.nvr.customersHint': 'Distinct customers with an order in the period.',
    'analytics.nvr.revenue': 'Revenue',
    'analytics.nvr.revenueHint':
      'Paid, not cancelled orders placed in the period, refunds deducted.',
    'analytics.nvr.share': 'Share',
    'analytics.nvr.shareHint': 'Share of the period’s revenue.',

    'analytics.rfm.title': 'RFM grid',
    'analytics.rfm.intro':
      'Every customer who has bought, by days since the last order (rows) and orders ever (columns), as of {asOf}.',
    'analytics.rfm.empty': 'No customer has bought yet.',
    'analytics.rfm.table': 'Customers by recency and frequency',
    'analytics.rfm.recency': 'Last order',
    'analytics.rfm.recencyHint':
      'Days since the customer’s last paid order, as of today (shop time zone).',
    'analytics.rfm.orders': '{count, plural, one {# order} other {# orders}}',
    'analytics.rfm.range': '{from}–{to} orders',
    'analytics.rfm.orPlus': '{count} or more orders',
    'analytics.rfm.cellHint':
      'Customers in the cell, and below it their revenue per customer (all time, refunds deducted).',
    'analytics.rfm.legend': 'How to read a cell',

    'analytics.clv.none':
      'The shop has no customer value model yet. It is fitted every night once there are orders; a marketer can also check the fit now.',
    'analytics.clv.fitIntro':
      'Check the model: fit it on everything but the last {weeks} weeks, and compare the purchases it predicts for those weeks with the ones that happened.',
    'analytics.clv.fit': 'Check the fit',
    'analytics.clv.fitResult':
      'Over the last {weeks} weeks the model predicted {predicted} purchases; customers made {actual} (off by {error}).',
    'analytics.clv.model': 'The model',
    'analytics.clv.modelHint':
      'BG/NBD predicts how many orders a customer will place and whether they are still active; Gamma-Gamma predicts the value of an order. Both are fitted by maximum likelihood.',
    'analytics.clv.modelSummary':
      'Fitted on {fitted} on purchases up to {calibrationEnd}, {customers, plural, one {# customer} other {# customers}}.',
    'analytics.clv.scoring':
      'The customers are being scored under this model: the figures below still come from the previous scoring.',
    'analytics.clv.bgnbdHint': 'r and α: how often customers buy; a and b: how soon they drop out.',
    'analytics.clv.ggHint': 'p, q and v: the spread of order values between and within customers.',
    'analytics.clv.noGg': 'not fitted (too few repeat buyers)',
    'analytics.clv.logLikelihood': 'Log-likelihood',
    'analytics.clv.logLikelihoodHint':
      'How well BG/NBD explains the purchases it learnt from: higher (closer to 0) is better; compare fits of the same shop.',
    'analytics.clv.distribution': 'Predicted value of the next 52 weeks',
    'analytics.clv.bucket': 'Predicted value',
    'analytics.clv.below': 'below {amount}',
    'analytics.clv.atLeast': '{amount} or more',
    'analytics.clv.customers': 'Customers',
    'analytics.clv.customersHint': 'Customers with a prediction in this range.',
    'analytics.clv.value': 'Their predicted value',
    'analytics.clv.valueHint': 'The sum of their predicted values for the next 52 weeks.',
    'analytics.clv.topByValue': 'Most valuable next year',
    'analytics.clv.topByProbabilityAlive': 'Most likely to stay',
    'analytics.clv.atRisk': 'At risk: valuable customers likely gone',
    'analytics.clv.customer': 'Customer',
    'analytics.clv.customerHint': 'The customer’s e-mail, or the shop’s id when there is none.',
    'analytics.clv.predicted': 'Predicted value',
    'analytics.clv.predictedHint':
      'Revenue the model expects from the customer in the next 52 weeks (updated daily).',
    'analytics.clv.alive': 'P(active)',
    'analytics.clv.aliveHint':
      'Probability the customer is still a customer (BG/NBD). At risk: below 50%.',
    'analytics.clv.purchases': 'Expected orders',
    'analytics.clv.purchasesHint': 'Orders expected in the next 52 weeks.',
    'analytics.clv.historical': 'Spent so far',
    'analytics.clv.historicalHint': 'All paid orders, refunds deducted.',
    'analytics.clv.lastOrder': 'Last order',
    'analytics.clv.lastOrderHint': 'Day of the last paid order (shop time zone).',

    'analytics.points.periodHint': 'Period: from {from} to today.',
    'analytics.points.breakage': 'Breakage',
    'analytics.points.breakageHint': 'Points expired ÷ points issued in the period.',
    'analytics.points.redemptionRate': 'Redemption rate',
    'analytics.points.redemptionRateHint':
      'Points redeemed (less coupons that expired unused) ÷ points issued in the period.',
    'analytics.points.redeemedValue': 'Rewards redeemed',
    'analytics.points.redeemedValueHint': 'Value of the rewards taken in the period.',
    'analytics.points.liability': 'Owed to members now',
    'analytics.points.liabilityHint':
      '{points} points outstanding today (available and pending, less debt) at {value} per point.',
    'analytics.points.owedTitle': 'Owed to members at each month’s end',
    'analytics.points.owedMonthHint':
      'Taken at the end of the month (shop time zone); the current month: today.',
    'analytics.points.owedPoints': 'Points',
    'analytics.points.owedPointsHint':
      'All members’ balances at the month’s end: every ledger entry up to then, debt deducted.',
    'analytics.points.owedValue': 'Value',
    'analytics.points.owedValueHint': 'The points at today’s point value.',
    'analytics.points.table': 'Points per month',
    'analytics.points.month': 'Month',
    'analytics.points.monthHint':
      'Calendar month in the shop time zone; the first and last are cut to the period.',
    'analytics.points.issued': 'Issued',
    'analytics.points.issuedHint': 'Points credited in the month (orders, rules, adjustments).',
    'analytics.points.redeemed': 'Redeemed',
    'analytics.points.redeemedHint':
      'Points spent on rewards in the month, less coupons that expired unused.',
    'analytics.points.expired': 'Expired',
    'analytics.points.expiredHint': 'Points that expired in the month.',

    'analytics.lift.intro':
      '{holdout} of customers are kept out of the programme as a holdout. Of the customers acquired in the period, {members} are members and {held} are in the holdout.',
    'analytics.lift.noHoldout':
      'There is no holdout group, so lift cannot be measured. Set a holdout percentage in the programme settings.',
    'analytics.lift.tooFew': 'Not enough customers in one of the groups yet.',
    'analytics.lift.notEnough': 'Not enough customers to compare yet.',
    'analytics.lift.revenuePerCustomer': 'Revenue per customer',
    'analytics.lift.revenuePerCustomerHint':
      'Revenue (refunds deducted) from customers acquired in the period, per customer, up to the end of the period.',
    'analytics.lift.repeatRate': 'Repeat rate',
    'analytics.lift.repeatRateHint':
      'Share of customers acquired in the period with two or more orders by the end of the period.',
    'analytics.lift.retention90': '90-day retention',
    'analytics.lift.retention90Hint':
      'Share with a second order within 90 days of the first, among customers whose first order is at least 90 days old.',
    'analytics.lift.sure':
      'Members: {difference} against the holdout (95% interval {low} to {high}). The programme makes a difference.',
    'analytics.lift.unsure':
      'Members: {difference} against the holdout (95% interval {low} to {high}). This could still be chance (p = {p}).',
    'analytics.lift.table': 'Members against the holdout',
    'analytics.lift.metric': 'Figure',
    'analytics.lift.periodHint':
      'Customers whose first order is from {from} to the day before {to}.',
    'analytics.lift.members': 'Members',
    'analytics.lift.membersHint': 'Customers in the programme.',
    'analytics.lift.holdout': 'Holdout',
    'analytics.lift.holdoutHint': 'Customers kept out of the programme to compare with.',
    'analytics.lift.difference': 'Difference',
    'analytics.lift.differenceHint': 'Members minus holdout; shares in percentage points.',
    'analytics.lift.ci': '95% interval',
    'analytics.lift.ciHint':
      'The true difference lies in this range with 95% confidence (normal approximation).',
    'analytics.lift.p': 'p-value',
    'analytics.lift.pHint':
      'How likely a difference this large is by chance alone; below 0.05 is usually called significant.',

    'analytics.messages.empty': 'No messages were queued in this period.',
    'analytics.messages.table': 'Results per channel and purpose',
    'analytics.messages.kind': 'Channel · purpose',
    'analytics.messages.kindHint': 'Messages queued in the period, by channel and purpose.',
    'analytics.messages.sent': 'Sent',
    'analytics.messages.sentHint': 'Messages that went out to the provider.',
    'analytics.messages.delivered': 'Delivered',
    'analytics.messages.deliveredHint': 'Confirmed delivered by the provider.',
    'analytics.messages.suppressed': 'Held back',
    'analytics.messages.suppressedHint':
      'Not sent: no consent, quiet hours, the weekly cap or a suppressed address.',
    'analytics.messages.openRate': 'Open rate',
    'analytics.messages.openRateHint': 'Opened ÷ sent.',
    'analytics.messages.clickRate': 'Click rate',
    'analytics.messages.clickRateHint': 'Clicked ÷ sent.',
    'analytics.messages.conversionRate': 'Conversion rate',
    'analytics.messages.converted': 'Orders',
    'analytics.messages.convertedHint':
      'Paid orders credited to a message: the last message before the order, within the attribution window.',
    'analytics.messages.revenue': 'Revenue',
    'analytics.messages.revenueHint': 'Value of those orders, refunds deducted.',
    'analytics.messages.channel.email': 'E-mail',
    'analytics.messages.channel.sms': 'SMS',
    'analytics.messages.channel.push': 'Push',
    'analytics.messages.channel.webhook': 'Webhook',
    'analytics.messages.purpose.transactional': 'transactional',
    'analytics.messages.purpose.marketing': 'marketing',
    'analytics.messages.purpose.loyalty': 'loyalty',
    'analytics.messages.purpose.feedback': 'feedback',

    'analytics.benefits.intro':
      'Which benefit after a purchase pays? Each flow’s variants (a coupon, a gift, points…) against its holdout, which got nothing: what the benefit cost, how many used it, and what the customers bought next.',
    'analytics.benefits.window': 'Count orders within',
    'analytics.benefits.margin': 'Your margin',
    'analytics.benefits.category': 'Product category (optional)',
    'analytics.benefits.costOf': 'Cost of one “{variant}”',
    'analytics.benefits.segment': 'Segment (as it is today)',
    'analytics.benefits.allCustomers': 'All customers',
    'analytics.benefits.apply': 'Recalculate',
    'analytics.benefits.costNote':
      'Without a cost entered, a benefit costs the discount its coupons actually gave; points count as free unless you enter their cost.',
    'analytics.benefits.empty': 'No flow runs started in this period.',
    'analytics.benefits.table': 'Variants against the holdout',
    'analytics.benefits.variant': 'Variant',
    'analytics.benefits.variantHint':
      'The branch of the flow’s A/B split the customer took; “all” when the flow has no split.',
    'analytics.benefits.holdout': 'Holdout (nothing)',
    'analytics.benefits.benefit': 'Benefit',
    'analytics.benefits.benefitHint': 'What the variant’s grant steps gave.',
    'analytics.benefits.kind.points': 'points',
    'analytics.benefits.kind.coupon': 'coupon',
    'analytics.benefits.kind.reward': 'gift',
    'analytics.benefits.runs': 'Customers',
    'analytics.benefits.runsHint': 'Customers who entered the flow in the period.',
    'analytics.benefits.uptake': 'Used',
    'analytics.benefits.uptakeHint':
      'Share of the coupons or gifts given that were used on an order.',
    'analytics.benefits.unitCost': 'Cost of one',
    'analytics.benefits.unitCostHint':
      'Average cost of a benefit used: the entered cost, or the discount actually given.',
    'analytics.benefits.rate': 'Bought again',
    'analytics.benefits.rateHint':
      'Share of customers with a paid order within {days} days of entering the flow (the order that started it not counted); below, the difference from the holdout in percentage points with its 95% interval.',
    'analytics.benefits.medianDays': 'Days to the order',
    'analytics.benefits.medianDaysHint':
      'Median days from entering the flow to that next order (within {days} days).',
    'analytics.benefits.aov': 'Order value',
    'analytics.benefits.aovHint':
      'Average value of that next order, refunds deducted; below, the difference from the holdout with its 95% interval.',
    'analytics.benefits.netMargin': 'Net margin per customer',
    'analytics.benefits.netMarginHint':
      'Your margin on the customers’ revenue within {days} days, less the benefit’s cost, per customer who entered; below, the difference from the holdout with its 95% interval.',
    'analytics.benefits.vsShare': 'vs holdout {d} pp ({low} to {high})',
    'analytics.benefits.vsMoney': 'vs holdout {d} ({low} to {high})',
    'analytics.benefits.verdictVariant': 'Variant “{variant}”:',
    'analytics.benefits.verdictRate':
      'second purchases {d} pp against the holdout (95% interval {low} to {high} pp);',
    'analytics.benefits.verdictPays': 'net margin {d} per customer ({low} to {high}) — it pays.',
    'analytics.benefits.verdictLoses':
      'net margin {d} per customer ({low} to {high}) — it costs more than it brings.',
    'analytics.benefits.verdictUnsure':
      'net margin {d} per customer ({low} to {high}) — not yet clear whether it pays.',
  },
  {
    'analytics.title': 'Analityka',
    'analytics.period': 'Od {from} do {to} (dni sklepu)',
    'analytics.months': 'Okres',
    'analytics.monthsOption':
      'Ostatnie {count, plural, one {# miesiąc} few {# miesiące} many {# miesięcy} other {# miesiąca}}',
    'analytics.csv': 'Pobierz CSV',
    'analytics.noRows': 'Brak danych w tym okresie.',
    'analytics.tab.cohorts': 'Kohorty',
    'analytics.tab.repeat': 'Powroty',
    'analytics.tab.clv': 'Wartość klienta',
    'analytics.tab.points': 'Punkty',
    'analytics.tab.lift': 'Efekt programu',
    'analytics.tab.messages': 'Wiadomości',
    'analytics.tab.benefits': 'Korzyści',

    'analytics.cohorts.intro':
      'Klienci pogrupowani według miesiąca pierwszego opłaconego zamówienia; każda komórka to odsetek grupy, który kupił ponownie w kolejnym miesiącu.',
    'analytics.cohorts.empty': 'W tym okresie nikt nie złożył pierwszego zamówienia.',
    'analytics.cohorts.table': 'Retencja kohort',
    'analytics.cohorts.cohort': 'Pierwsze zamówienie',
    'analytics.cohorts.cohortHint':
      'Kohorta: miesiąc kalendarzowy (strefa czasowa sklepu) pierwszego opłaconego, nieanulowanego zamówienia klienta.',
    'analytics.cohorts.customers': 'Klienci',
    'analytics.cohorts.customersHint':
      'Klienci, których pierwsze liczone zamówienie przypada w tym miesiącu.',
    'analytics.cohorts.monthK': 'Miesiąc {k}',
    'analytics.cohorts.monthHint':
      'Odsetek kohorty z opłaconym zamówieniem w {k}. miesiącu po pierwszym (miesiąc 0 to sam pierwszy miesiąc, zawsze 100%). Bieżący miesiąc liczy dotychczasowe dni.',
    'analytics.cohorts.monthsAfter': 'Miesiące po pierwszym zamówieniu',

    'analytics.repeat.intro':
      '{customers, plural, one {# klient złożył} few {# klientów złożyło} many {# klientów złożyło} other {# klienta złożyło}} pierwsze zamówienie w tym okresie; połowa powracających wróciła w ciągu {median} dni.',
    'analytics.repeat.empty': 'W tym okresie nikt nie złożył pierwszego zamówienia.',
    'analytics.repeat.gapTitle': 'Czas do drugiego zamówienia',
    'analytics.repeat.gapDays': 'Dni po pierwszym zamówieniu',
    'analytics.repeat.gapHint':
      'Dni kalendarzowe (strefa czasowa sklepu) między pierwszym a drugim dniem zakupu klienta, dla klientów z pierwszym zamówieniem w okresie.',
    'analytics.repeat.customers': 'Klienci',
    'analytics.repeat.gapCustomersHint':
      'Klienci, których drugi zakup nastąpił tyle dni po pierwszym.',
    'analytics.repeat.upTo': 'do {days, plural, one {# dnia} other {# dni}}',
    'analytics.repeat.moreThan': 'ponad {days, plural, one {# dzień} other {# dni}}',
    'analytics.repeat.days': '{days, plural, one {# dzień} other {# dni}}',
    'analytics.repeat.curveTitle': 'Krzywa powrotów',
    'analytics.repeat.within': 'W ciągu',
    'analytics.repeat.withinHint': 'Dni po pierwszym zamówieniu.',
    'analytics.repeat.eligible': 'Klienci',
    'analytics.repeat.eligibleHint':
      'Klienci pozyskani w okresie, których pierwsze zamówienie ma co najmniej tyle dni (młodsi nie zdążyliby wrócić).',
    'analytics.repeat.rate': 'Kupili ponownie',
    'analytics.repeat.rateHint':
      'Odsetek tych klientów z drugim dniem zakupu w ciągu tylu dni od pierwszego.',
    'analytics.repeat.retentionTitle': 'Krzywa retencji',
    'analytics.repeat.month': 'Miesiąc',
    'analytics.repeat.monthHint': 'Miesiące po miesiącu pierwszego zamówienia.',
    'analytics.repeat.cohortCustomers': 'Klienci',
    'analytics.repeat.cohortCustomersHint':
      'Klienci kohort z okresu, które dożyły tego miesiąca (bieżący miesiąc się liczy).',
    'analytics.repeat.retention': 'Kupili w tym miesiącu',
    'analytics.repeat.retentionHint':
      'Odsetek z opłaconym zamówieniem w tym miesiącu: kolumny mapy kohort, ważone wielkością kohorty.',

    'analytics.nvr.title': 'Przychód: nowi i powracający klienci',
    'analytics.nvr.who': 'Kto kupił',
    'analytics.nvr.whoHint':
      'Nowi: pierwsze liczone zamówienie w okresie. Powracający: pierwsze zamówienie przed okresem. Goście: zamówienia bez klienta.',
    'analytics.nvr.new': 'Nowi klienci',
    'analytics.nvr.returning': 'Powracający klienci',
    'analytics.nvr.guests': 'Goście',
    'analytics.nvr.customers': 'Klienci',
    'analytics.nvr.customersHint': 'Różni klienci z zamówieniem w okresie.',
    'analytics.nvr.revenue': 'Przychód',
    'analytics.nvr.revenueHint':
      'Opłacone, nieanulowane zamówienia złożone w okresie, po odjęciu zwrotów.',
    'analytics.nvr.share': 'Udział',
    'analytics.nvr.shareHint': 'Udział w przychodzie okresu.',

    'analytics.rfm.title': 'Siatka RFM',
    'analytics.rfm.intro':
      'Każdy klient, który kupił, według dni od ostatniego zamówienia (wiersze) i liczby zamówień (kolumny), stan na {asOf}.',
    'analytics.rfm.empty': 'Nikt jeszcze nie kupił.',
    'analytics.rfm.table': 'Klienci według świeżości i częstotliwości',
    'analytics.rfm.recency': 'Ostatnie zamówienie',
    'analytics.rfm.recencyHint':
      'Dni od ostatniego opłaconego zamówienia klienta, na dziś (strefa czasowa sklepu).',
    'analytics.rfm.orders':
      '{count, plural, one {# zamówienie} few {# zamówienia} many {# zamówień} other {# zamówienia}}',
    'analytics.rfm.range': '{from}–{to} zamówień',
    'analytics.rfm.orPlus': '{count} i więcej zamówień',
    'analytics.rfm.cellHint':
      'Liczba klientów w komórce, a pod nią ich przychód na klienta (od początku, po zwrotach).',
    'analytics.rfm.legend': 'Jak czytać komórkę',

    'analytics.clv.none':
      'Sklep nie ma jeszcze modelu wartości klienta. Dopasowuje się co noc, gdy są zamówienia; marketer może też sprawdzić dopasowanie teraz.',
    'analytics.clv.fitIntro':
      'Sprawdź model: dopasuj go do wszystkiego poza ostatnimi {weeks} tygodniami i porównaj przewidziane na te tygodnie zakupy z rzeczywistymi.',
    'analytics.clv.fit': 'Sprawdź dopasowanie',
    'analytics.clv.fitResult':
      'W ostatnich {weeks} tygodniach model przewidział {predicted} zakupów; klienci dokonali {actual} (błąd {error}).',
    'analytics.clv.model': 'Model',
    'analytics.clv.modelHint':
      'BG/NBD przewiduje, ile zamówień złoży klient i czy nadal jest aktywny; Gamma-Gamma przewiduje wartość zamówienia. Oba dopasowane metodą największej wiarygodności.',
    'analytics.clv.modelSummary':
      'Dopasowany {fitted} na zakupach do {calibrationEnd}, {customers, plural, one {# klient} few {# klientów} many {# klientów} other {# klienta}}.',
    'analytics.clv.scoring':
      'Trwa ocena klientów według tego modelu: liczby poniżej pochodzą jeszcze z poprzedniej oceny.',
    'analytics.clv.bgnbdHint': 'r i α: jak często klienci kupują; a i b: jak szybko odchodzą.',
    'analytics.clv.ggHint':
      'p, q i v: rozrzut wartości zamówień między klientami i u jednego klienta.',
    'analytics.clv.noGg': 'niedopasowany (za mało powracających klientów)',
    'analytics.clv.logLikelihood': 'Log-wiarygodność',
    'analytics.clv.logLikelihoodHint':
      'Jak dobrze BG/NBD wyjaśnia zakupy, na których się uczył: wyższa (bliżej 0) jest lepsza; porównuj dopasowania tego samego sklepu.',
    'analytics.clv.distribution': 'Przewidywana wartość na następne 52 tygodnie',
    'analytics.clv.bucket': 'Przewidywana wartość',
    'analytics.clv.below': 'poniżej {amount}',
    'analytics.clv.atLeast': '{amount} i więcej',
    'analytics.clv.customers': 'Klienci',
    'analytics.clv.customersHint': 'Klienci z przewidywaniem w tym przedziale.',
    'analytics.clv.value': 'Ich przewidywana wartość',
    'analytics.clv.valueHint': 'Suma ich przewidywanych wartości na następne 52 tygodnie.',
    'analytics.clv.topByValue': 'Najcenniejsi w przyszłym roku',
    'analytics.clv.topByProbabilityAlive': 'Najpewniej zostaną',
    'analytics.clv.atRisk': 'Zagrożeni: cenni klienci, którzy pewnie odeszli',
    'analytics.clv.customer': 'Klient',
    'analytics.clv.customerHint': 'E-mail klienta albo identyfikator sklepu, gdy e-maila nie ma.',
    'analytics.clv.predicted': 'Przewidywana wartość',
    'analytics.clv.predictedHint':
      'Przychód, jakiego model oczekuje od klienta w następnych 52 tygodniach (odświeżany codziennie).',
    'analytics.clv.alive': 'P(aktywny)',
    'analytics.clv.aliveHint':
      'Prawdopodobieństwo, że klient nadal jest klientem (BG/NBD). Zagrożeni: poniżej 50%.',
    'analytics.clv.purchases': 'Oczekiwane zamówienia',
    'analytics.clv.purchasesHint': 'Zamówienia oczekiwane w następnych 52 tygodniach.',
    'analytics.clv.historical': 'Wydał dotąd',
    'analytics.clv.historicalHint': 'Wszystkie opłacone zamówienia, po odjęciu zwrotów.',
    'analytics.clv.lastOrder': 'Ostatnie zamówienie',
    'analytics.clv.lastOrderHint':
      'Dzień ostatniego opłaconego zamówienia (strefa czasowa sklepu).',

    'analytics.points.periodHint': 'Okres: od {from} do dziś.',
    'analytics.points.breakage': 'Niewykorzystane (breakage)',
    'analytics.points.breakageHint': 'Punkty wygasłe ÷ punkty przyznane w okresie.',
    'analytics.points.redemptionRate': 'Wskaźnik wymiany',
    'analytics.points.redemptionRateHint':
      'Punkty wymienione (bez kuponów, które wygasły niewykorzystane) ÷ punkty przyznane w okresie.',
    'analytics.points.redeemedValue': 'Wymienione nagrody',
    'analytics.points.redeemedValueHint': 'Wartość nagród odebranych w okresie.',
    'analytics.points.liability': 'Zobowiązanie wobec członków',
    'analytics.points.liabilityHint':
      '{points} punktów do wykorzystania na dziś (dostępne i oczekujące, minus dług) po {value} za punkt.',
    'analytics.points.owedTitle': 'Zobowiązanie na koniec każdego miesiąca',
    'analytics.points.owedMonthHint':
      'Stan na koniec miesiąca (strefa czasowa sklepu); bieżący miesiąc: dziś.',
    'analytics.points.owedPoints': 'Punkty',
    'analytics.points.owedPointsHint':
      'Salda wszystkich członków na koniec miesiąca: wszystkie wpisy księgi do tej chwili, minus dług.',
    'analytics.points.owedValue': 'Wartość',
    'analytics.points.owedValueHint': 'Punkty po dzisiejszej wartości punktu.',
    'analytics.points.table': 'Punkty w miesiącach',
    'analytics.points.month': 'Miesiąc',
    'analytics.points.monthHint':
      'Miesiąc kalendarzowy w strefie czasowej sklepu; pierwszy i ostatni przycięte do okresu.',
    'analytics.points.issued': 'Przyznane',
    'analytics.points.issuedHint': 'Punkty przyznane w miesiącu (zamówienia, reguły, korekty).',
    'analytics.points.redeemed': 'Wymienione',
    'analytics.points.redeemedHint':
      'Punkty wydane na nagrody w miesiącu, bez kuponów, które wygasły niewykorzystane.',
    'analytics.points.expired': 'Wygasłe',
    'analytics.points.expiredHint': 'Punkty, które wygasły w miesiącu.',

    'analytics.lift.intro':
      '{holdout} klientów jest poza programem jako grupa kontrolna. Spośród klientów pozyskanych w okresie {members} to członkowie, a {held} jest w grupie kontrolnej.',
    'analytics.lift.noHoldout':
      'Nie ma grupy kontrolnej, więc efektu nie da się zmierzyć. Ustaw odsetek grupy kontrolnej w ustawieniach programu.',
    'analytics.lift.tooFew': 'W jednej z grup jest jeszcze za mało klientów.',
    'analytics.lift.notEnough': 'Za mało klientów, by porównać.',
    'analytics.lift.revenuePerCustomer': 'Przychód na klienta',
    'analytics.lift.revenuePerCustomerHint':
      'Przychód (po zwrotach) od klientów pozyskanych w okresie, na klienta, do końca okresu.',
    'analytics.lift.repeatRate': 'Odsetek powracających',
    'analytics.lift.repeatRateHint':
      'Odsetek klientów pozyskanych w okresie z co najmniej dwoma zamówieniami do końca okresu.',
    'analytics.lift.retention90': 'Retencja 90 dni',
    'analytics.lift.retention90Hint':
      'Odsetek z drugim zamówieniem w ciągu 90 dni od pierwszego, wśród klientów, których pierwsze zamówienie ma co najmniej 90 dni.',
    'analytics.lift.sure':
      'Członkowie: {difference} względem grupy kontrolnej (95% przedział {low} do {high}). Program robi różnicę.',
    'analytics.lift.unsure':
      'Członkowie: {difference} względem grupy kontrolnej (95% przedział {low} do {high}). To wciąż może być przypadek (p = {p}).',
    'analytics.lift.table': 'Członkowie a grupa kontrolna',
    'analytics.lift.metric': 'Wskaźnik',
    'analytics.lift.periodHint': 'Klienci z pierwszym zamówieniem od {from} do dnia przed {to}.',
    'analytics.lift.members': 'Członkowie',
    'analytics.lift.membersHint': 'Klienci w programie.',
    'analytics.lift.holdout': 'Grupa kontrolna',
    'analytics.lift.holdoutHint': 'Klienci trzymani poza programem do porównania.',
    'analytics.lift.difference': 'Różnica',
    'analytics.lift.differenceHint':
      'Członkowie minus grupa kontrolna; odsetki w punktach procentowych.',
    'analytics.lift.ci': '95% przedział',
    'analytics.lift.ciHint':
      'Prawdziwa różnica leży w tym przedziale z 95% ufnością (przybliżenie normalne).',
    'analytics.lift.p': 'Wartość p',
    'analytics.lift.pHint':
      'Jak prawdopodobna jest tak duża różnica przez sam przypadek; poniżej 0,05 zwykle uznaje się ją za istotną.',

    'analytics.messages.empty': 'W tym okresie nie zakolejkowano wiadomości.',
    'analytics.messages.table': 'Wyniki według kanału i celu',
    'analytics.messages.kind': 'Kanał · cel',
    'analytics.messages.kindHint': 'Wiadomości zakolejkowane w okresie, według kanału i celu.',
    'analytics.messages.sent': 'Wysłane',
    'analytics.messages.sentHint': 'Wiadomości przekazane dostawcy.',
    'analytics.messages.delivered': 'Doręczone',
    'analytics.messages.deliveredHint': 'Potwierdzone przez dostawcę jako doręczone.',
    'analytics.messages.suppressed': 'Wstrzymane',
    'analytics.messages.suppressedHint':
      'Niewysłane: brak zgody, godziny ciszy, tygodniowy limit lub zablokowany adres.',
    'analytics.messages.openRate': 'Otwarcia',
    'analytics.messages.openRateHint': 'Otwarte ÷ wysłane.',
    'analytics.messages.clickRate': 'Kliknięcia',
    'analytics.messages.clickRateHint': 'Kliknięte ÷ wysłane.',
    'analytics.messages.conversionRate': 'Konwersja',
    'analytics.messages.converted': 'Zamówienia',
    'analytics.messages.convertedHint':
      'Opłacone zamówienia przypisane wiadomości: ostatniej przed zamówieniem, w oknie atrybucji.',
    'analytics.messages.revenue': 'Przychód',
    'analytics.messages.revenueHint': 'Wartość tych zamówień, po zwrotach.',
    'analytics.messages.channel.email': 'E-mail',
    'analytics.messages.channel.sms': 'SMS',
    'analytics.messages.channel.push': 'Push',
    'analytics.messages.channel.webhook': 'Webhook',
    'analytics.messages.purpose.transactional': 'transakcyjne',
    'analytics.messages.purpose.marketing': 'marketingowe',
    'analytics.messages.purpose.loyalty': 'lojalnościowe',
    'analytics.messages.purpose.feedback': 'opinie',

    'analytics.benefits.intro':
      'Która korzyść po zakupie się opłaca? Warianty każdego przepływu (kupon, prezent, punkty…) względem grupy kontrolnej, która nie dostała nic: ile korzyść kosztowała, ilu z niej skorzystało i co klienci kupili potem.',
    'analytics.benefits.window': 'Licz zamówienia w ciągu',
    'analytics.benefits.margin': 'Twoja marża',
    'analytics.benefits.category': 'Kategoria produktu (opcjonalnie)',
    'analytics.benefits.costOf': 'Koszt jednego „{variant}”',
    'analytics.benefits.segment': 'Segment (według stanu na dziś)',
    'analytics.benefits.allCustomers': 'Wszyscy klienci',
    'analytics.benefits.apply': 'Przelicz',
    'analytics.benefits.costNote':
      'Bez wpisanego kosztu korzyść kosztuje tyle, ile rabatu faktycznie dały jej kupony; punkty są darmowe, dopóki nie wpiszesz ich kosztu.',
    'analytics.benefits.empty': 'W tym okresie nie rozpoczął się żaden przepływ.',
    'analytics.benefits.table': 'Warianty względem grupy kontrolnej',
    'analytics.benefits.variant': 'Wariant',
    'analytics.benefits.variantHint':
      'Gałąź testu A/B przepływu, którą poszedł klient; „all”, gdy przepływ nie ma podziału.',
    'analytics.benefits.holdout': 'Grupa kontrolna (nic)',
    'analytics.benefits.benefit': 'Korzyść',
    'analytics.benefits.benefitHint': 'Co dały kroki przyznania wariantu.',
    'analytics.benefits.kind.points': 'punkty',
    'analytics.benefits.kind.coupon': 'kupon',
    'analytics.benefits.kind.reward': 'prezent',
    'analytics.benefits.runs': 'Klienci',
    'analytics.benefits.runsHint': 'Klienci, którzy weszli do przepływu w okresie.',
    'analytics.benefits.uptake': 'Wykorzystane',
    'analytics.benefits.uptakeHint':
      'Odsetek przyznanych kuponów lub prezentów użytych w zamówieniu.',
    'analytics.benefits.unitCost': 'Koszt jednej',
    'analytics.benefits.unitCostHint':
      'Średni koszt wykorzystanej korzyści: wpisany koszt albo faktycznie udzielony rabat.',
    'analytics.benefits.rate': 'Kupili ponownie',
    'analytics.benefits.rateHint':
      'Odsetek klientów z opłaconym zamówieniem w ciągu {days} dni od wejścia do przepływu (bez zamówienia, które go uruchomiło); pod spodem różnica względem grupy kontrolnej w punktach procentowych z 95% przedziałem.',
    'analytics.benefits.medianDays': 'Dni do zamówienia',
    'analytics.benefits.medianDaysHint':
      'Mediana dni od wejścia do przepływu do tego zamówienia (w ciągu {days} dni).',
    'analytics.benefits.aov': 'Wartość zamówienia',
    'analytics.benefits.aovHint':
      'Średnia wartość tego zamówienia, po zwrotach; pod spodem różnica względem grupy kontrolnej z 95% przedziałem.',
    'analytics.benefits.netMargin': 'Marża netto na klienta',
    'analytics.benefits.netMarginHint':
      'Twoja marża od przychodu klientów w ciągu {days} dni minus koszt korzyści, na klienta, który wszedł do przepływu; pod spodem różnica względem grupy kontrolnej z 95% przedziałem.',
    'analytics.benefits.vsShare': 'wobec kontrolnej {d} pp ({low} do {high})',
    'analytics.benefits.vsMoney': 'wobec kontrolnej {d} ({low} do {high})',
    'analytics.benefits.verdictVariant': 'Wariant „{variant}”:',
    'analytics.benefits.verdictRate':
      'ponowne zakupy {d} pp wobec grupy kontrolnej (95% przedział {low} do {high} pp);',
    'analytics.benefits.verdictPays': 'marża netto {d} na klienta ({low} do {high}) — opłaca się.',
    'analytics.benefits.verdictLoses':
      'marża netto {d} na klienta ({low} do {high}) — kosztuje więcej, niż przynosi.',
    'analytics.benefits.verdictUnsure':
      'marża netto {d} na klienta ({low} do {high}) — jeszcze nie wiadomo, czy się opłaca.',
  },
);
