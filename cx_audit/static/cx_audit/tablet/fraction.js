/* Exact fractions (BigInt numerator and denominator) for the provisional score, as the server
   scores with Python's fractions.Fraction. Binary floating point is not good enough: 25.89 points
   of 40 is exactly 64.725, which the server rounds half up to 64.73, while 100 * 25.89 / 40 in
   floating point is a hair under and rounds to 64.72. Every input is a decimal string from the
   API ("12.50"), so every value here is exact and only the output is rounded. */

const abs = (n) => (n < 0n ? -n : n);

function gcd(a, b) {
  let [x, y] = [abs(a), abs(b)];
  while (y) [x, y] = [y, x % y];
  return x;
}

/* n/d in lowest terms with a positive denominator. */
export function fraction(n, d = 1n) {
  if (d === 0n) throw new RangeError("division by zero");
  const sign = d < 0n ? -1n : 1n;
  const divisor = gcd(n, d) || 1n;
  return { n: (sign * n) / divisor, d: (sign * d) / divisor };
}

export const ZERO = fraction(0n);
export const ONE = fraction(1n);

/* A decimal ("12.50", "7", "-3", or a Number) as a fraction, or null when it is not one. No
   decimal comma: the API refuses "5,599" (a price with a thousands separator, or 5.599?), so the
   tablet must not take it either and find out only when the sync is refused. */
export function fromDecimal(value) {
  if (value === null || value === undefined || typeof value === "boolean") return null;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(value).trim());
  if (!match) return null;
  const [, minus, whole, part = ""] = match;
  return fraction(BigInt(whole + part) * (minus ? -1n : 1n), 10n ** BigInt(part.length));
}

export const add = (a, b) => fraction(a.n * b.d + b.n * a.d, a.d * b.d);
export const mul = (a, b) => fraction(a.n * b.n, a.d * b.d);
export const div = (a, b) => fraction(a.n * b.d, a.d * b.n);
export const compare = (a, b) => Math.sign(Number(a.n * b.d - b.n * a.d));
export const min = (a, b) => (compare(a, b) <= 0 ? a : b);
export const sum = (values) => values.reduce(add, ZERO);

/* Rounded half up (ties away from zero) to `places` decimals, as a string: scoring._round. */
export function toFixed(value, places = 2) {
  const scale = 10n ** BigInt(places);
  const units = (2n * abs(value.n) * scale + value.d) / (2n * value.d);
  const digits = units.toString().padStart(places + 1, "0");
  const text = places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
  return value.n < 0n && units !== 0n ? `-${text}` : text;
}

/* For display and for callers that want a plain number: the value rounded as the server rounds it. */
export const toNumber = (value, places = 2) => Number(toFixed(value, places));
