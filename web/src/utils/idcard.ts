// GB 11643-1999 citizen identity number: 17 digits + check character (0-9 or X),
// check = (12 - Σ(digit_i × weight_i) mod 11) mod 11, 10 written X. The server is the
// authority (it also checks region and birth date); this only catches typing errors early.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** null when valid, else a Chinese message. */
export function idNumberError(value: string): string | null {
  const v = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return '身份证号应为18位，前17位为数字，最后一位为数字或X';
  if (idCheckChar(v.slice(0, 17)) !== v[17]) return '身份证号校验位错误';
  return null;
}
