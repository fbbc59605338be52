/** Silver and Gold by spend over 12 months, 30 days of grace, warned 30 days before review. */
export const silverAndGold = {
  metric: 'spend',
  period: 'rolling_12_months',
  graceDays: 30,
  atRiskDaysBefore: 30,
  tiers: [
    {
      id: 'silver',
      name: { pl: 'Srebrny', en: 'Silver' },
      entryThreshold: 100_000,
      retainThreshold: 80_000,
      benefits: { pointsMultiplier: 1.5 },
    },
    {
      id: 'gold',
      name: { pl: 'Złoty', en: 'Gold' },
      entryThreshold: 300_000,
      retainThreshold: 250_000,
      benefits: {
        pointsMultiplier: 2,
        birthdayMultiplier: 3,
        perks: [{ code: 'monthly_free_shipping' }, { code: 'early_access' }],
      },
    },
  ],
};
