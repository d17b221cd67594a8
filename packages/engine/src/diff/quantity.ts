const QUANTITY =
  /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const SUFFIX_FACTOR: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a Kubernetes resource quantity ("500m", "1Gi", "2", 2), or undefined. */
export function quantityValue(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? input : undefined;
  if (typeof input !== 'string') return undefined;
  const match = QUANTITY.exec(input.trim());
  if (!match) return undefined;
  const [, mantissa = '', exponent, suffix] = match;
  const factor = exponent
    ? 10 ** Number(exponent.slice(1))
    : suffix
      ? (SUFFIX_FACTOR[suffix] ?? 1)
      : 1;
  return Number(mantissa) * factor;
}

/**
 * The apiserver rewrites quantities to a canonical form ("1000m" comes back as "1", "0.5" as
 * "500m", "1024Mi" as "1Gi"), so comparing the text would report drift nobody made.
 */
export function sameQuantity(left: unknown, right: unknown): boolean {
  const a = quantityValue(left);
  const b = quantityValue(right);
  if (a === undefined || b === undefined) return false;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-9);
}
