import { digamma, hypergeometric2F1, lnGamma, logSumExp } from './special-functions.ts';
import { minimizeWithGradient } from './quasi-newton.ts';

/** One customer's calibration summary: repeat purchases x, last one at tX, observed for T (weeks). */
export interface CustomerHistory {
  x: number;
  tX: number;
  T: number;
}

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/**
 * Log-likelihood of the BG/NBD model (Fader, Hardie & Lee 2005, eq. 6), summed over customers.
 * Customers with the same (x, tX, T) are counted once with a weight.
 */
export function bgNbdLogLikelihood(
  { r, alpha, a, b }: BgNbdParams,
  groups: Array<CustomerHistory & { n: number }>,
): number {
  const base = lnGamma(r) - r * Math.log(alpha);
  const beta = lnGamma(a + b) - lnGamma(b);
  // the Gamma terms depend on x alone: once per distinct x, not once per customer
  const byX = new Map<number, number>();
  const gammaTerms = (x: number) => {
    let value = byX.get(x);
    if (value === undefined) {
      value = lnGamma(r + x) - base + beta + lnGamma(b + x) - lnGamma(a + b + x);
      byX.set(x, value);
    }
    return value;
  };
  const logA = Math.log(a);
  let total = 0;
  for (const { x, tX, T, n } of groups) {
    const a3 = -(r + x) * Math.log(alpha + T);
    const ll =
      x > 0
        ? gammaTerms(x) + logSumExp(a3, logA - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tX))
        : gammaTerms(x) + a3;
    total += n * ll;
  }
  return total;
}

/** Maximum-likelihood BG/NBD parameters (optimised over their logarithms, so they stay > 0). */
export function fitBgNbd(customers: CustomerHistory[]): BgNbdParams & { logLikelihood: number } {
  return fitBgNbdGroups(groupHistories(customers));
}

/**
 * The same from customers grouped by identical (x, tX, T) with their number n: what the fit
 * reads from the database. BFGS on the analytic gradient, from the start the simplex used.
 */
export function fitBgNbdGroups(
  groups: Array<CustomerHistory & { n: number }>,
): BgNbdParams & { logLikelihood: number } {
  const data = bgNbdData(groups);
  const params = ([lr, lalpha, la, lb]: number[]) => ({
    r: Math.exp(lr!),
    alpha: Math.exp(lalpha!),
    a: Math.exp(la!),
    b: Math.exp(lb!),
  });
  const customers = groups.reduce((s, g) => s + g.n, 0);
  const meanT = groups.reduce((s, g) => s + g.n * g.T, 0) / Math.max(1, customers);
  const { x } = minimizeWithGradient(
    (p) => {
      const q = params(p);
      const { value, gradient } = bgNbdLikelihoodWithGradient(q, data);
      // d/d(log θ) = θ · d/dθ, negated for minimisation
      return {
        value: -value,
        gradient: [
          -q.r * gradient[0]!,
          -q.alpha * gradient[1]!,
          -q.a * gradient[2]!,
          -q.b * gradient[3]!,
        ],
      };
    },
    [0, Math.log(Math.max(1, meanT)), 0, 0],
  );
  const best = params(x);
  return { ...best, logLikelihood: bgNbdLogLikelihood(best, groups) };
}

/** Groups as flat arrays, with T and tX as indexes into their distinct values. */
interface BgNbdData {
  x: Int32Array;
  n: Float64Array;
  tIndex: Int32Array;
  tXIndex: Int32Array;
  times: Float64Array;
  xs: number[];
}

function bgNbdData(groups: Array<CustomerHistory & { n: number }>): BgNbdData {
  const timeIndex = new Map<number, number>();
  const indexOf = (t: number) => {
    let i = timeIndex.get(t);
    if (i === undefined) {
      i = timeIndex.size;
      timeIndex.set(t, i);
    }
    return i;
  };
  const data = {
    x: new Int32Array(groups.length),
    n: new Float64Array(groups.length),
    tIndex: new Int32Array(groups.length),
    tXIndex: new Int32Array(groups.length),
  };
  const xs = new Set<number>();
  groups.forEach((g, i) => {
    data.x[i] = g.x;
    data.n[i] = g.n;
    data.tIndex[i] = indexOf(g.T);
    data.tXIndex[i] = indexOf(g.tX);
    xs.add(g.x);
  });
  return { ...data, times: Float64Array.from(timeIndex.keys()), xs: [...xs] };
}

/**
 * The BG/NBD log-likelihood and its gradient in (r, α, a, b). ln(α + t) and 1/(α + t) are
 * taken once per distinct time, the Gamma terms and their derivatives once per distinct x, so
 * a customer group costs one exponential and one logarithm.
 */
function bgNbdLikelihoodWithGradient(
  { r, alpha, a, b }: BgNbdParams,
  data: BgNbdData,
): { value: number; gradient: number[] } {
  const { times } = data;
  const logs = new Float64Array(times.length);
  const inverses = new Float64Array(times.length);
  for (let i = 0; i < times.length; i++) {
    logs[i] = Math.log(alpha + times[i]!);
    inverses[i] = 1 / (alpha + times[i]!);
  }
  const maxX = Math.max(...data.xs);
  const gx = new Float64Array(maxX + 1);
  const grx = new Float64Array(maxX + 1);
  const gax = new Float64Array(maxX + 1);
  const gbx = new Float64Array(maxX + 1);
  const cx = new Float64Array(maxX + 1);
  const invBx = new Float64Array(maxX + 1);
  const base = lnGamma(r) - r * Math.log(alpha);
  const beta = lnGamma(a + b) - lnGamma(b);
  const psiR = digamma(r);
  const psiAB = digamma(a + b);
  const psiB = digamma(b);
  const logAlpha = Math.log(alpha);
  for (const x of data.xs) {
    const psiABx = digamma(a + b + x);
    gx[x] = lnGamma(r + x) - base + beta + lnGamma(b + x) - lnGamma(a + b + x);
    grx[x] = digamma(r + x) - psiR + logAlpha;
    gax[x] = psiAB - psiABx;
    gbx[x] = psiAB + digamma(b + x) - psiB - psiABx;
    if (x > 0) {
      cx[x] = Math.log(a) - Math.log(b + x - 1);
      invBx[x] = 1 / (b + x - 1);
    }
  }
  let value = 0;
  let dr = 0;
  let dAlpha = 0;
  let da = 0;
  let db = 0;
  let customers = 0;
  const { x: xs, n: ns, tIndex, tXIndex } = data;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const n = ns[i]!;
    const k = r + x;
    const lT = logs[tIndex[i]!]!;
    const a3 = -k * lT;
    customers += n;
    if (x === 0) {
      value += n * (gx[0]! + a3);
      dr += n * (grx[0]! - lT);
      dAlpha -= n * k * inverses[tIndex[i]!]!;
      continue;
    }
    const j = tXIndex[i]!;
    const lTX = logs[j]!;
    const a4 = cx[x]! - k * lTX;
    const u = a4 - a3;
    let lse: number;
    let w: number;
    if (u > 0) {
      const e = Math.exp(-u);
      lse = a4 + Math.log1p(e);
      w = 1 / (1 + e);
    } else {
      const e = Math.exp(u);
      lse = a3 + Math.log1p(e);
      w = e / (1 + e);
    }
    value += n * (gx[x]! + lse);
    dr += n * (grx[x]! - (1 - w) * lT - w * lTX);
    dAlpha -= n * k * ((1 - w) * inverses[tIndex[i]!]! + w * inverses[j]!);
    da += n * (gax[x]! + w / a);
    db += n * (gbx[x]! - w * invBx[x]!);
  }
  // ∂/∂α of the Gamma terms, r/α per customer, and ∂/∂a, ∂/∂b of x = 0 customers
  dAlpha += (customers * r) / alpha;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] === 0) {
      da += ns[i]! * gax[0]!;
      db += ns[i]! * gbx[0]!;
    }
  }
  return { value, gradient: [dr, dAlpha, da, db] };
}

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** Log-likelihood of the Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"). */
export function gammaGammaLogLikelihood(
  { p, q, v }: GammaGammaParams,
  customers: Array<{ x: number; zbar: number }>,
): number {
  const constant = -lnGamma(q) + q * Math.log(v);
  const byX = new Map<number, number>();
  let total = 0;
  for (const { x, zbar } of customers) {
    let gammaTerms = byX.get(x);
    if (gammaTerms === undefined) {
      gammaTerms = lnGamma(p * x + q) - lnGamma(p * x) + constant + p * x * Math.log(x);
      byX.set(x, gammaTerms);
    }
    total += gammaTerms + (p * x - 1) * Math.log(zbar) - (p * x + q) * Math.log(x * zbar + v);
  }
  return total;
}

/** Maximum-likelihood Gamma-Gamma parameters on customers with at least one repeat purchase. */
export function fitGammaGamma(
  customers: Array<{ x: number; zbar: number; n?: number }>,
): GammaGammaParams | null {
  const usable = customers.filter((c) => c.x > 0 && c.zbar > 0);
  if (usable.reduce((s, c) => s + (c.n ?? 1), 0) < 2) return null;
  // q > 1 keeps the population's mean spend p·v/(q − 1) finite and positive
  const params = ([lp, lq, lv]: number[]) => ({
    p: Math.exp(lp!),
    q: 1 + Math.exp(lq!),
    v: Math.exp(lv!),
  });
  const data = gammaGammaData(usable);
  const { x } = minimizeWithGradient(
    (t) => {
      const g = params(t);
      const { value, gradient } = gammaGammaLikelihoodWithGradient(g, data);
      return {
        value: -value,
        gradient: [-g.p * gradient[0]!, -(g.q - 1) * gradient[1]!, -g.v * gradient[2]!],
      };
    },
    [0, 0, 0],
  );
  return params(x);
}

interface GammaGammaData {
  x: Int32Array;
  n: Float64Array;
  /** x · zbar */
  spend: Float64Array;
  xs: number[];
  /** Σ n·ln zbar and Σ n·x·(ln zbar + ln x) */
  sumLogZbar: number;
  sumXLogs: number;
  sumN: number;
}

function gammaGammaData(customers: Array<{ x: number; zbar: number; n?: number }>): GammaGammaData {
  const data = {
    x: new Int32Array(customers.length),
    n: new Float64Array(customers.length),
    spend: new Float64Array(customers.length),
  };
  let sumLogZbar = 0;
  let sumXLogs = 0;
  let sumN = 0;
  const xs = new Set<number>();
  customers.forEach((c, i) => {
    const n = c.n ?? 1;
    data.x[i] = c.x;
    data.n[i] = n;
    data.spend[i] = c.x * c.zbar;
    sumLogZbar += n * Math.log(c.zbar);
    sumXLogs += n * c.x * (Math.log(c.zbar) + Math.log(c.x));
    sumN += n;
    xs.add(c.x);
  });
  return { ...data, xs: [...xs], sumLogZbar, sumXLogs, sumN };
}

/** The Gamma-Gamma log-likelihood and its gradient in (p, q, v): one logarithm per customer. */
function gammaGammaLikelihoodWithGradient(
  { p, q, v }: GammaGammaParams,
  data: GammaGammaData,
): { value: number; gradient: number[] } {
  const maxX = Math.max(...data.xs);
  const gx = new Float64Array(maxX + 1);
  const psiPXQ = new Float64Array(maxX + 1);
  const psiPX = new Float64Array(maxX + 1);
  for (const x of data.xs) {
    gx[x] = lnGamma(p * x + q) - lnGamma(p * x);
    psiPXQ[x] = digamma(p * x + q);
    psiPX[x] = digamma(p * x);
  }
  const logV = Math.log(v);
  // the parts that separate: (p·x − 1)·ln zbar + p·x·ln x summed, and the constant terms
  let value = p * data.sumXLogs - data.sumLogZbar + data.sumN * (q * logV - lnGamma(q));
  let dp = data.sumXLogs;
  let dq = data.sumN * (logV - digamma(q));
  let dv = (data.sumN * q) / v;
  const { x: xs, n: ns, spend } = data;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const n = ns[i]!;
    const m = spend[i]! + v;
    const logM = Math.log(m);
    const k = p * x + q;
    value += n * (gx[x]! - k * logM);
    dp += n * x * (psiPXQ[x]! - psiPX[x]! - logM);
    dq += n * (psiPXQ[x]! - logM);
    dv -= (n * k) / m;
  }
  return { value, gradient: [dp, dq, dv] };
}

function groupHistories(customers: CustomerHistory[]): Array<CustomerHistory & { n: number }> {
  const groups = new Map<string, CustomerHistory & { n: number }>();
  for (const c of customers) {
    const key = `${c.x}|${c.tX}|${c.T}`;
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { ...c, n: 1 });
  }
  return [...groups.values()];
}

/**
 * Expected purchases in the next t weeks of a customer with history (x, tX, T), and the
 * probability the customer is still "alive" (Fader, Hardie & Lee 2005, eq. 10 and 13).
 *
 * The paper's form multiplies ((α+T)/(α+T+t))^(r+x), which underflows to 0, by
 * 2F1(r+x, b+x; a+b+x−1; z), whose series overflows, when x reaches ~1,500 purchases: 0 × ∞ =
 * NaN. Euler's transformation 2F1(A, B; C; z) = (1−z)^(C−A−B) 2F1(C−A, C−B; C; z) with
 * 1 − z = (α+T)/(α+T+t) folds the power into (1−z)^(a−1), leaving 2F1(a+b−1−r, a−1; a+b+x−1; z):
 * small upper parameters, a large lower one, so a few terms converge for any x.
 */
export function bgNbdExpectedPurchases(
  { r, alpha, a: fittedA, b }: BgNbdParams,
  { x, tX, T }: CustomerHistory,
  t: number,
): number {
  // the formula divides by a − 1; at a = 1 exactly, its limit is taken from just beside it
  const a = Math.abs(fittedA - 1) < 1e-8 ? 1 + 1e-8 : fittedA;
  const logOneMinusZ = Math.log((alpha + T) / (alpha + T + t));
  const z = t / (alpha + T + t);
  const growth = 1 - discountedSeries(r, a, b, x, z, logOneMinusZ);
  const numerator = ((a + b + x - 1) / (a - 1)) * growth;
  return x === 0 ? numerator : numerator * probabilityAliveOf(r, alpha, a, b, x, tX, T);
}

/**
 * ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z). The paper's form while its power is far
 * from underflowing; past that (hundreds of purchases), Euler's transformation. Each form fails
 * where the other holds: the transformed series' upper parameters grow with a and b, so a fit
 * with almost no dropout (a and b in the millions) overflows it, while the paper's form is fine.
 */
function discountedSeries(
  r: number,
  a: number,
  b: number,
  x: number,
  z: number,
  logOneMinusZ: number,
): number {
  const power = Math.exp((r + x) * logOneMinusZ);
  if (power > 1e-200) {
    const direct = power * hypergeometric2F1(r + x, b + x, a + b + x - 1, z);
    if (Number.isFinite(direct)) return direct;
  }
  return (
    Math.exp((a - 1) * logOneMinusZ) * hypergeometric2F1(a + b - 1 - r, a - 1, a + b + x - 1, z)
  );
}

export function bgNbdProbabilityAlive(
  { r, alpha, a, b }: BgNbdParams,
  { x, tX, T }: CustomerHistory,
): number {
  if (x === 0) return 1;
  return probabilityAliveOf(r, alpha, a, b, x, tX, T);
}

/** 1 / (1 + odds of having dropped out), the odds in logs: (α+T)/(α+tX) to the (r+x) overflows. */
function probabilityAliveOf(
  r: number,
  alpha: number,
  a: number,
  b: number,
  x: number,
  tX: number,
  T: number,
): number {
  const logOdds =
    Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log((alpha + T) / (alpha + tX));
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected value of a customer's future purchases under Gamma-Gamma (Fader, Hardie & Lee 2005,
 * "RFM and CLV", eq. 5): a weighted mean of the population mean and their own average.
 */
export function gammaGammaExpectedSpend(
  { p, q, v }: GammaGammaParams,
  x: number,
  zbar: number,
): number {
  const populationMean = (p * v) / (q - 1);
  const weight = (p * x) / (p * x + q - 1);
  return (1 - weight) * populationMean + weight * (x > 0 ? zbar : 0);
}
