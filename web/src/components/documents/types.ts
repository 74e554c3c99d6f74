// Shapes of docs/api.md "Documents", "Case file" and "Case subsidy" (names follow the glossary).

/** One generated version of a document (GET /api/documents/:id). */
export interface DocVersion {
  id: number;
  case_id: number;
  kind: string;
  label: string;
  version: number;
  file_id: number;
  sha256: string;
  size: number;
  pages: number;
  doc_no: string;
  note: string | null;
  created_at: string;
  created_by_name: string | null;
}

/** A kind on the 文书 tab: whether it can be made now (and why not), and its versions, newest first. */
export interface DocKindItem {
  kind: string;
  label: string;
  available: boolean;
  reason: string | null;
  versions: DocVersion[];
}

export interface DocList { case_id: number; doc_no: string; items: DocKindItem[] }

/** What the merged PDF files in a checklist slot. */
export interface CaseFileSource {
  type: 'document' | 'attachment';
  id: number;
  kind: string;
  title: string;
  version?: number;
  pages?: number;
  file_id: number;
  mime?: string;
  size?: number;
  created_at: string;
}

export interface CaseFileItem {
  key: string;
  label: string;
  required: boolean;
  present: boolean;
  rule: string;
  sources: CaseFileSource[];
}

export interface FileReview {
  id: number;
  result: string;
  result_label: string;
  reasons: string | null;
  tier: number | null;
  reviewer_name: string | null;
  reviewed_on: string;
  created_at: string;
}

export interface SubsidyShare {
  person_id: number;
  person_name: string;
  lead: boolean;
  tier: number;
  case_amount: number;
  amount: number;
  period: string;
  granted_on: string;
}

/** GET /api/cases/:id/case-file. */
export interface CaseFileView {
  case_id: number;
  file_no: string;
  title: string;
  case_status: string;
  case_status_label: string;
  status: string;
  status_label: string;
  complete: boolean;
  can_submit: boolean;
  mediators: number;
  items: CaseFileItem[];
  missing: string[];
  submitted_at: string | null;
  submitted_by_name: string | null;
  tier: number | null;
  reviews: FileReview[];
  subsidies: SubsidyShare[];
}

/** GET /api/settings/subsidy (amounts in fen). */
export interface SubsidySettings {
  tier_amounts: number[];
  lead_percent: number;
  co_percent: number;
  labels?: { tier_amounts?: string; lead_percent?: string; co_percent?: string; tiers?: string[] };
}

/** A row of the ledger (GET /api/subsidies). */
export interface SubsidyRow {
  id: number;
  case_id: number;
  case_no: string;
  case_title: string;
  person_id: number;
  person_name: string;
  lead: boolean;
  org_id: number;
  org_name: string;
  tier: number;
  case_amount: number;
  amount: number;
  period: string;
  granted_on: string;
}

export interface SubsidyPerson { person_id: number; person_name: string; org_name: string; cases: number; amount: number }

export interface SubsidyLedger {
  items: SubsidyRow[];
  by_person: SubsidyPerson[];
  total_amount: number;
  count: number;
  from: string | null;
  to: string | null;
  org_name: string;
}
