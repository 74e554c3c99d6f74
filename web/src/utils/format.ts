const pad = (n: number) => String(n).padStart(2, '0');

/** ISO-8601 UTC time → "YYYY-MM-DD HH:mm:ss" in Asia/Shanghai (UTC+8, no DST). */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t + 8 * 3600 * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} `
    + `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Today's date in Asia/Shanghai as YYYY-MM-DD. */
export function todayCN(): string {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
/** "YYYY-MM-DD" → "星期X". */
export function weekday(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return '星期' + WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}

export function percent(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return (x * 100).toFixed(digits) + '%';
}
