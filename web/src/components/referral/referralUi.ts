// Presentation helpers of the referral pages: tag colours, the verbs on the action buttons,
// the accept-period countdown, the tree of referral targets. Enum labels come from
// GET /api/dicts (referral_status, referral_channel, return_reason …) or from the *_label
// members the API sends; only button verbs and column titles are spelled here.
import type { Org } from '@/types';
import type { OrgNode } from '@/utils/orgTree';
import type { AcceptPeriod } from './types';

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger';
export interface TagStyle { type: TagType; effect: 'light' | 'dark' | 'plain' }

/** Colour of the status tag per referral state (docs/referrals.md). */
const STATUS_TAG: Record<string, TagStyle> = {
  draft: { type: 'info', effect: 'plain' },
  awaiting_approval: { type: 'warning', effect: 'plain' },
  sent: { type: 'primary', effect: 'light' },
  received: { type: 'primary', effect: 'plain' },
  accepted: { type: 'success', effect: 'light' },
  returned: { type: 'danger', effect: 'light' },
  disputed: { type: 'warning', effect: 'light' },
  feedback_sent: { type: 'success', effect: 'plain' },
  acknowledged: { type: 'success', effect: 'dark' },
  cancelled: { type: 'info', effect: 'light' },
};
export const referralStatusTag = (s: string): TagStyle => STATUS_TAG[s] || { type: 'info', effect: 'plain' };

/** The actions of POST /api/referrals/:id/events/:action, in button order, with their verbs. */
export const ACTIONS: { action: string; label: string; type?: TagType; plain?: boolean }[] = [
  { action: 'submit', label: '提交审签', type: 'primary' },
  { action: 'approve', label: '审签通过', type: 'success' },
  { action: 'reject', label: '退回修改', type: 'warning', plain: true },
  { action: 'receipt', label: '签收', type: 'primary', plain: true },
  { action: 'accept', label: '受理', type: 'success' },
  { action: 'return', label: '退回', type: 'danger', plain: true },
  { action: 'dispute', label: '提出异议', type: 'warning' },
  { action: 'consult', label: '会商', type: 'primary' },
  { action: 'feedback', label: '反馈', type: 'primary' },
  { action: 'acknowledge', label: '确认', type: 'success' },
  { action: 'cancel', label: '撤销', type: 'info', plain: true },
];

/** The verb for an action; 确认 depends on what is acknowledged. */
export function actionLabel(action: string, status?: string): string {
  if (action === 'acknowledge') return status === 'returned' ? '接受退回' : '确认反馈';
  return ACTIONS.find((a) => a.action === action)?.label || action;
}

/** Days from `from` to `to` (YYYY-MM-DD), calendar days. */
export function daysBetween(from: string, to: string): number {
  const a = Date.parse(from + 'T00:00:00Z');
  const b = Date.parse(to + 'T00:00:00Z');
  return Math.round((b - a) / 86400000);
}

/** "剩余N天" / "今日到期" / "已超期N天". */
export function countdownText(days: number | null | undefined): string {
  if (days === null || days === undefined) return '';
  if (days > 0) return `剩余${days}天`;
  if (days === 0) return '今日到期';
  return `已超期${-days}天`;
}

export interface CountdownView { text: string; type: TagType; effect: 'light' | 'dark' | 'plain'; late: boolean }

/**
 * What the 受理期限 column shows for an accept period: while undecided the countdown
 * (state from the server), once decided 按时/超期 (timeliness label from the server).
 */
export function acceptCountdown(a: AcceptPeriod | null | undefined): CountdownView | null {
  if (!a || !a.due_on) return null;
  if (a.state) {
    const late = a.state === 'overdue';
    const type: TagType = late ? 'danger' : a.state === 'due_today' ? 'danger' : a.state === 'due_soon' ? 'warning' : 'success';
    return { text: countdownText(a.days_left), type, effect: late ? 'dark' : 'light', late };
  }
  if (a.timeliness === 'on_time') return { text: a.timeliness_label || '', type: 'success', effect: 'plain', late: false };
  if (a.timeliness === 'late' || a.timeliness === 'overdue') return { text: a.timeliness_label || '', type: 'danger', effect: 'light', late: true };
  return null;
}

/** Colour of a timeliness (按时 / 超期 / 办理中 / 已逾期). */
export function timelinessTag(t: string | null | undefined): TagStyle {
  if (t === 'on_time') return { type: 'success', effect: 'plain' };
  if (t === 'late' || t === 'overdue') return { type: 'danger', effect: 'light' };
  return { type: 'info', effect: 'plain' };
}

/** The attachment kinds a referring agency attaches (feedback kinds are the committee's). */
export const PARTNER_ATTACHMENT_KINDS = ['consent', 'referral_letter', 'evidence', 'id_proof', 'other'];

const TARGET_KINDS = ['committee', 'dispatched_room'];
export const isTargetKind = (o: Org) => TARGET_KINDS.includes(o.kind) && !o.dissolved_on;

/**
 * The tree of the committees and dispatched rooms in `items` (GET /api/orgs), grouped under
 * their parent org. A partner does not see the judicial offices: their committees are then
 * grouped under a heading named after the township's own committee (城关镇人民调解委员会 →
 * 城关镇). Group headings are not selectable. `exclude` leaves one org out (the current target
 * of a transfer).
 */
export function targetTree(items: Org[], exclude?: number): OrgNode[] {
  const byId = new Map(items.map((o) => [o.id, o] as const));
  const groups = new Map<number, Org[]>();
  for (const o of items) {
    if (!isTargetKind(o) || o.id === exclude) continue;
    const key = o.parent_id ?? 0;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(o);
  }
  const levelRank = (o: Org) => (['county', 'township', 'street'].includes(o.level || '') ? 0 : 1);
  const leaf = (o: Org): OrgNode => ({ id: o.id, value: o.id, label: o.name, org: o, children: [] });
  const out: OrgNode[] = [];
  for (const [pid, list] of groups) {
    list.sort((a, b) => levelRank(a) - levelRank(b) || a.path.localeCompare(b.path));
    const parent = byId.get(pid);
    let label = parent?.name || '';
    if (!label) {
      const head = list.find((o) => levelRank(o) === 0) || list[0];
      label = head.name.replace(/人民调解委员会$/, '') || '其他调解组织';
    }
    const fake = { ...list[0], id: -pid, name: label } as Org;
    out.push({ id: -pid - 1, value: -pid - 1, label, org: fake, disabled: true, children: list.map(leaf) });
  }
  // the county's own committees first, then townships in path order
  out.sort((a, b) => (a.children[0]?.org.path || '').split('/').length - (b.children[0]?.org.path || '').split('/').length
    || (a.children[0]?.org.path || '').localeCompare(b.children[0]?.org.path || ''));
  return out;
}
