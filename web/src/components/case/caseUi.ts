// Presentation helpers shared by the case pages: tag colours, the action buttons' labels,
// money in fen ↔ yuan, server field paths → form props. Enum labels still come from
// GET /api/dicts (stores/dicts.ts); only the verbs on the buttons are spelled here.

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger';
export interface TagStyle { type: TagType; effect: 'light' | 'dark' | 'plain' }

/** Colour of the status tag per case state (docs/cases.md). */
export const STATUS_TAG: Record<string, TagStyle> = {
  registered: { type: 'info', effect: 'plain' },
  accepted: { type: 'primary', effect: 'light' },
  mediating: { type: 'warning', effect: 'light' },
  agreed: { type: 'success', effect: 'light' },
  terminated: { type: 'danger', effect: 'light' },
  refused: { type: 'info', effect: 'light' },
  withdrawn: { type: 'info', effect: 'light' },
  closed: { type: 'success', effect: 'dark' },
  archived: { type: 'info', effect: 'dark' },
};
export const statusTag = (s: string): TagStyle => STATUS_TAG[s] || { type: 'info', effect: 'plain' };

/** Colour of a deadline's state (未到期/即将到期/今日到期/已逾期/已完成). */
export const DEADLINE_TAG: Record<string, TagStyle> = {
  open: { type: 'success', effect: 'plain' },
  due_soon: { type: 'warning', effect: 'light' },
  due_today: { type: 'danger', effect: 'light' },
  overdue: { type: 'danger', effect: 'dark' },
  stopped: { type: 'info', effect: 'plain' },
};
export const deadlineTag = (s: string): TagStyle => DEADLINE_TAG[s] || { type: 'info', effect: 'plain' };

/** The lifecycle events in the order their buttons appear, with the verb on the button. */
export const EVENTS: { event: string; label: string; type?: TagType; plain?: boolean }[] = [
  { event: 'accept', label: '受理', type: 'primary' },
  { event: 'assign', label: '指派调解员', type: 'primary', plain: true },
  { event: 'record_session', label: '记录调解', type: 'primary' },
  { event: 'agree', label: '达成协议', type: 'success' },
  { event: 'extend', label: '延长期限' },
  { event: 'apply_confirmation', label: '申请司法确认' },
  { event: 'record_confirmation', label: '登记确认结果' },
  { event: 'record_performance', label: '登记履行' },
  { event: 'follow_up', label: '回访', type: 'primary', plain: true },
  { event: 'close', label: '结案', type: 'success' },
  { event: 'archive', label: '归档', type: 'primary' },
  { event: 'escalate', label: '上报', type: 'warning', plain: true },
  { event: 'terminate', label: '终止调解', type: 'danger', plain: true },
  { event: 'refuse', label: '不予受理', type: 'danger', plain: true },
  { event: 'withdraw', label: '撤回', type: 'info', plain: true },
];
export const eventLabel = (e: string): string => EVENTS.find((x) => x.event === e)?.label || e;

const group3 = (s: string) => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Integer fen → "¥80,000.00" (empty for null). Integer arithmetic only. */
export function fmtFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const neg = fen < 0;
  const a = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(a / 100);
  const cents = String(a % 100).padStart(2, '0');
  return (neg ? '-' : '') + '¥' + group3(String(yuan)) + '.' + cents;
}

const YUAN_RE = /^(\d{1,12})(?:\.(\d{0,2}))?$/;

/** null when the text is empty or a valid amount in yuan (≤ 2 decimals), else a message. */
export function yuanError(text: string): string | null {
  const t = text.trim().replace(/,/g, '');
  if (!t) return null;
  if (!YUAN_RE.test(t)) return '请输入金额（元），最多两位小数';
  return null;
}

/** "80000.5" → 8000050 (fen), without floating point; null when empty or invalid. */
export function yuanToFen(text: string): number | null {
  const m = YUAN_RE.exec(text.trim().replace(/,/g, ''));
  if (!m) return null;
  const cents = (m[2] || '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(cents);
}

/** Server field path → el-form-item prop: "parties[1].phone" → "parties.1.phone". */
export function fieldToProp(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1');
}

/** specialties as the API documents them (an array) from what it may send (",a,b,"). */
export function normalizeSpecialties(v: string[] | string | null | undefined): string[] {
  if (!v) return [];
  if (Array.isArray(v)) return v;
  return v.split(',').filter(Boolean);
}

export function fmtSize(n: number): string {
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
  return (n / 1024 / 1024).toFixed(1) + ' MB';
}

/** Sex and birth date that a (valid) GB 11643 number states. */
export function idNumberFacts(id: string): { sex: 'male' | 'female'; birth_date: string } | null {
  const v = id.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return null;
  const y = Number(v.slice(6, 10)), m = Number(v.slice(10, 12)), d = Number(v.slice(12, 14));
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  const birth = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  return { sex: Number(v[16]) % 2 === 1 ? 'male' : 'female', birth_date: birth };
}

/** "剩余N天" / "今日到期" / "逾期N天" for a deadline's days_left. */
export function daysLeftText(days: number | null | undefined): string {
  if (days === null || days === undefined) return '';
  if (days > 0) return `剩余${days}天`;
  if (days === 0) return '今日到期';
  return `逾期${-days}天`;
}
