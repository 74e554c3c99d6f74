// Shapes of the case objects of docs/api.md "Cases" (names follow the glossary).

export interface CaseListItem {
  id: number;
  case_no: string;
  title: string;
  party_names: string;
  status: string;
  status_label?: string;
  source: string;
  dispute_type: string;
  org_id: number;
  org_name: string;
  registered_on: string;
  accepted_on: string | null;
  due_on: string | null;
  amount: number | null;
  lead_mediator_name: string | null;
  overdue: boolean;
}

export interface CaseParty {
  id: number;
  role: string;
  kind: string;
  name: string;
  sex: string | null;
  ethnicity: string | null;
  birth_date: string | null;
  occupation: string | null;
  id_number_masked: string | null;
  credit_code: string | null;
  legal_rep: string | null;
  phone: string | null;
  address: string | null;
  agent_name: string | null;
  agent_phone: string | null;
  agent_relation: string | null;
}

export interface CaseMediator { person_id: number; name: string; phone: string | null; lead: boolean }

export interface CaseRecord {
  id: number;
  kind: string;
  held_on: string;
  place: string | null;
  participants: string | null;
  content: string;
  created_at: string;
  created_by_name: string | null;
}

export interface CaseAgreement {
  form: string;
  terms: string;
  has_payment: boolean;
  amount: number | null;
  performance_due: string | null;
  effective_on: string | null;
  performance: string | null;
  performance_note: string | null;
  confirmation_court: string | null;
  confirmation_applied_on: string | null;
  confirmation_result: string | null;
  confirmation_decided_on: string | null;
}

export interface CaseTermination { reason_code: string; reason_text: string; guidance: string }

export interface CaseFollowUp {
  id: number;
  visited_on: string;
  method: string;
  content: string;
  satisfaction: number | null;
  created_at: string;
}

export interface CaseDeadline {
  kind: string;
  label: string;
  started_on: string;
  due_on: string;
  stopped_on: string | null;
  state: string;
  state_label: string;
  days_left?: number | null;
}

export interface CaseAttachment {
  id: number;
  kind: string;
  title: string;
  created_at: string;
  file_id: number;
  file_name: string;
  mime: string;
  size: number;
  sha256: string;
}

export interface TimelineEntry {
  id: number;
  event: string;
  label: string;
  state_from: string | null;
  state_to: string | null;
  at: string;
  actor_name: string | null;
  summary: string | null;
}

export interface CaseDetail {
  id: number;
  case_no: string;
  title: string;
  party_names: string;
  org_id: number;
  org_name: string;
  registered_org_id: number;
  registered_org_name: string;
  status: string;
  status_label: string;
  source: string;
  dispute_type: string;
  flags: string[];
  facts: string;
  claims: string | null;
  amount: number | null;
  people_involved: number | null;
  place: string | null;
  occurred_on: string | null;
  registered_on: string;
  accepted_on: string | null;
  due_on: string | null;
  is_referral: boolean;
  extension_reason: string | null;
  refuse_reason: string | null;
  withdraw_reason: string | null;
  agreed_on: string | null;
  terminated_on: string | null;
  closed_on: string | null;
  archived_on: string | null;
  resolved_level: string | null;
  lead_mediator_id: number | null;
  writable: boolean;
  parties: CaseParty[];
  mediators: CaseMediator[];
  records: CaseRecord[];
  agreement: CaseAgreement | null;
  termination: CaseTermination | null;
  follow_ups: CaseFollowUp[];
  deadlines: CaseDeadline[];
  attachments?: CaseAttachment[];
  allowed_events: string[];
  timeline: TimelineEntry[];
}

export interface SuggestedMediator {
  id: number;
  name: string;
  phone: string | null;
  grade: number | null;
  employment: string | null;
  /** An array per docs/api.md; the server currently sends ",a,b," (see normalizeSpecialties). */
  specialties: string[] | string | null;
  specialty_match: boolean;
  open_cases: number;
  org_name: string;
  same_org: boolean;
}

export interface TodoDeadline {
  id: number;
  case_no: string;
  title: string;
  party_names: string;
  status: string;
  kind: string;
  kind_label: string;
  due_on: string;
  state: string;
  state_label: string;
  days_left: number;
  org_name: string;
}

export interface TodoAwaiting {
  id: number;
  case_no: string;
  title: string;
  party_names: string;
  registered_on: string;
  org_name: string;
}

export interface Todo {
  today: string;
  scope: 'mine' | 'org';
  counts: { overdue: number; due_today: number; due_soon: number };
  deadlines: TodoDeadline[];
  /** all open deadlines in the window; deadlines holds the most urgent (at most 500) */
  deadlines_total: number;
  awaiting_acceptance: TodoAwaiting[];
  /** all cases awaiting acceptance; awaiting_acceptance holds the oldest (at most 200) */
  awaiting_total: number;
}

export interface UploadedFile { id: number; sha256: string; size: number; mime: string; name: string; created_at: string }

/** GET /api/stats/cases: cases registered in [from, to] handled in an org's subtree. */
export interface CaseStatsBucket { key: string; label: string; count: number }
export interface CaseStats {
  org: { id: number; name: string };
  from: string;
  to: string;
  total: number;
  by_type: CaseStatsBucket[];
  by_status: CaseStatsBucket[];
  cells: { dispute_type: string; status: string; count: number }[];
}
