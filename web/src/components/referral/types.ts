// Shapes of the referral objects of docs/api.md "Referrals" and "Partner notifications"
// (names follow the glossary).

/** The 3-day accept-or-return period as a list item or a referral carries it. */
export interface AcceptPeriod {
  due_on: string | null;
  /** pending / overdue until decided, then on_time / late. */
  timeliness?: string | null;
  timeliness_label?: string | null;
  /** open, due_soon, due_today, overdue — only while undecided. */
  state?: string | null;
  state_label?: string | null;
  days_left?: number | null;
}

export interface ReferralListItem {
  id: number;
  letter_no: string;
  letter_date: string;
  channel: string;
  channel_label: string;
  status: string;
  status_label: string;
  title: string;
  party_names: string;
  dispute_type: string;
  partner_org_id: number;
  partner_org_name: string;
  target_org_id: number;
  target_org_name: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  sent_on: string | null;
  received_on: string | null;
  receipt_at: string | null;
  accept_due_on: string | null;
  decided_on: string | null;
  case_id: number | null;
  case_no: string | null;
  case_status: string | null;
  case_status_label: string | null;
  feedback_sent_on: string | null;
  feedback_due_on: string | null;
  acknowledged_at: string | null;
  accept: AcceptPeriod;
  feedback: { due_on: string | null };
}

export interface ReferralParty {
  role: string;
  kind?: string;
  name: string;
  id_number_masked?: string | null;
  sex?: string | null;
  ethnicity?: string | null;
  birth_date?: string | null;
  occupation?: string | null;
  credit_code?: string | null;
  legal_rep?: string | null;
  phone?: string | null;
  address?: string | null;
  agent_name?: string | null;
  agent_phone?: string | null;
  agent_relation?: string | null;
}

export interface ReferralDispute {
  title: string;
  dispute_type: string;
  flags?: string[];
  facts: string;
  claims?: string | null;
  amount?: number | null;
  people_involved?: number | null;
  place?: string | null;
  occurred_on?: string | null;
  parties: ReferralParty[];
}

export interface ReferralAttachment {
  id: number;
  /** partner: the referring agency's materials; committee: files sent with the feedback. */
  side: string;
  kind: string;
  kind_label: string;
  title: string;
  created_at: string;
  file_id: number;
  file_name: string;
  mime: string;
  size: number;
  sha256: string;
}

export interface ReferralConsultation {
  id: number;
  disputed_at: string | null;
  disputed_by_name: string | null;
  dispute_reason: string | null;
  held_on: string | null;
  participants: string | null;
  opinion: string | null;
  outcome: string | null;
  outcome_label: string | null;
  new_target_org_id: number | null;
  decided_by_name: string | null;
  decided_org_name: string | null;
  decided_at: string | null;
}

export interface ReferralTimelineEntry {
  id: number;
  event: string;
  label: string;
  state_from: string | null;
  state_to: string | null;
  at: string;
  actor_name: string | null;
  org_name: string | null;
  summary: string | null;
}

export interface ReferralCase {
  id: number;
  case_no: string;
  status: string;
  status_label: string;
  org_id: number;
  org_name: string;
  accepted_on: string | null;
  agreed_on: string | null;
  terminated_on: string | null;
  closed_on: string | null;
}

export interface ReferralFeedback {
  outcome: string | null;
  outcome_label: string | null;
  sent: boolean;
  text: string | null;
  sent_on: string | null;
  sent_at: string | null;
  by_name: string | null;
  acknowledged_at: string | null;
  acknowledged_by_name: string | null;
  acknowledge_note: string | null;
  due_on: string | null;
  timeliness: string | null;
  timeliness_label: string | null;
  state?: string | null;
  state_label?: string | null;
  days_left?: number | null;
}

export interface Referral {
  id: number;
  letter_no: string;
  letter_date: string;
  channel: string;
  channel_label: string;
  status: string;
  status_label: string;
  partner_org_id: number;
  partner_org_name: string;
  partner_type: string | null;
  target_org_id: number;
  target_org_name: string;
  title: string;
  dispute_type: string;
  dispute_type_label: string;
  party_names: string;
  dispute: ReferralDispute;
  note: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  created_by_name: string | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  approved_by_name: string | null;
  approved_at: string | null;
  approval_comment: string | null;
  return_reason_code: string | null;
  return_reason_label: string | null;
  return_reason_text: string | null;
  accept: AcceptPeriod & {
    sent_on: string | null;
    received_on: string | null;
    receipt_at: string | null;
    receipt_by_name: string | null;
    receipt_note: string | null;
    received: boolean;
    decided_on: string | null;
  };
  case: ReferralCase | null;
  feedback: ReferralFeedback | null;
  attachments: ReferralAttachment[];
  consultations: ReferralConsultation[];
  timeline: ReferralTimelineEntry[];
  allowed_actions: string[];
  editable: boolean;
}

export interface FeedbackDraftFile {
  file_id: number;
  title: string;
  kind: string;
  kind_label: string;
  file_name: string;
  mime: string;
  suggested: boolean;
}

export interface FeedbackDraft {
  outcome: string;
  outcome_label: string;
  written_agreement: boolean;
  text: string;
  due_on: string | null;
  timeliness: string | null;
  timeliness_label: string | null;
  state: string | null;
  state_label: string | null;
  days_left: number | null;
  files: FeedbackDraftFile[];
}

/** `referrals` of GET /api/todo. */
export interface ReferralTodoItem {
  id: number;
  letter_no: string;
  title: string;
  status: string;
  status_label: string;
  task: string;
  task_label: string;
  /** false: the other side's task, shown to follow it (a countdown, not a to-do). */
  own: boolean;
  partner_org_name: string;
  target_org_name: string;
  due_on: string | null;
  state: string | null;
  state_label: string | null;
  days_left: number | null;
}
export interface ReferralTodo {
  /** every task; items holds the most urgent (at most the request's limit, 500) */
  total: number;
  /** the caller's own tasks among them (not the other side's it follows) */
  own_total: number;
  items: ReferralTodoItem[];
  counts: { overdue: number; due_today: number; due_soon: number };
}

export interface ChannelStats {
  channel?: string;
  label?: string;
  referred: number;
  accepted: number;
  returned: number;
  in_consultation: number;
  pending: number;
  agreed: number;
  terminated: number;
  withdrawn: number;
  accept_on_time: number;
  accept_late: number;
  feedback_on_time: number;
  feedback_late: number;
  feedback_pending: number;
  accept_on_time_rate: number | null;
  feedback_on_time_rate: number | null;
}
export interface ReferralStats {
  from: string;
  to: string;
  today: string;
  channels: ChannelStats[];
  total: ChannelStats;
}

export interface WebhookEndpoint {
  id: number;
  org_id: number;
  org_name: string;
  url: string;
  description: string | null;
  created_at: string;
  secret_rotated_at: string | null;
  disabled_at: string | null;
  pending: number;
  failed: number;
  last_delivered_at: string | null;
  /** Only in the answer of POST /api/webhooks. */
  secret?: string;
}

export interface WebhookDelivery {
  id: number;
  endpoint_id: number;
  url: string;
  org_id: number;
  org_name: string;
  event: string;
  referral_id: number | null;
  status: string;
  status_label: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  next_attempt_at: string | null;
  payload?: unknown;
  attempt_log?: { id: number; at: string; status_code: number | null; error: string | null; duration_ms: number | null }[];
}

/** The `referral` member of a case created by accepting a referral. */
export interface CaseReferralRef {
  id: number;
  letter_no: string;
  channel: string;
  status: string;
  partner_org_id: number;
  partner_org_name: string;
}
