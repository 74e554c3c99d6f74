// Presentation helpers of the 文书 / 卷宗 / 以案定补 pages. Labels of kinds, statuses and
// tiers come from GET /api/dicts (stores/dicts.ts); what is spelled here is which checklist
// slot is filled by which document or upload (docs/documents.md "The case file"), colours,
// and the links to the PDFs.
import { api, apiUrl, type Query } from '@/api';
import type { SubsidySettings } from './types';

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger';

/** Colour of the case file's review status (dict case_file_status). */
export const FILE_STATUS_TAG: Record<string, TagType> = {
  draft: 'info',
  submitted: 'warning',
  qualified: 'success',
  unqualified: 'danger',
};
export const fileStatusTag = (s: string): TagType => FILE_STATUS_TAG[s] || 'info';

/**
 * Checklist slot → the documents that fill it (generated on the 文书 tab) and the upload
 * kind (dict attachment_kind) that fills it. docs/documents.md, table "The case file".
 */
export const SLOT_FILLERS: Record<string, { docs: string[]; upload?: string }> = {
  application: { docs: ['application', 'acceptance_register'], upload: 'application' },
  rights_notice: { docs: ['rights_notice'] },
  id_proof: { docs: [], upload: 'id_proof' },
  authorization: { docs: [], upload: 'authorization' },
  investigation: { docs: ['investigation_record'] },
  evidence: { docs: [], upload: 'evidence' },
  session_record: { docs: ['session_record'] },
  agreement: { docs: ['agreement', 'oral_agreement_register', 'termination_notice'], upload: 'signed_agreement' },
  performance_proof: { docs: [], upload: 'performance_proof' },
  follow_up: { docs: ['follow_up_record'] },
  confirmation: { docs: ['confirmation_guide'], upload: 'confirmation' },
  other: { docs: [], upload: 'other' },
  file_note: { docs: ['file_note'] },
  back_cover: { docs: ['back_cover'] },
};

/** The PDF of a document version; inline, so a new tab shows it for reading and printing. */
export const docPdfUrl = (id: number): string => apiUrl(`/documents/${id}/pdf`);
export const fileUrl = (fileId: number): string => apiUrl(`/files/${fileId}`);
export const caseFilePdfUrl = (caseId: number): string => apiUrl(`/cases/${caseId}/case-file.pdf`);

/** Opens a URL in a new tab (the PDF viewer there prints). */
export function openInNewTab(url: string): void {
  window.open(url, '_blank', 'noopener');
}

/** Lets the browser download a GET (session cookie; the server names the file). */
export function downloadUrl(url: string, name = ''): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  document.body.removeChild(a);
}

export const shortSha = (sha: string | null | undefined): string => (sha ? sha.slice(0, 12) : '');

export function subsidyQuery(f: { org_id: number | null; range: [string, string] | null; person_id: number | null }): Query {
  return { org_id: f.org_id ?? undefined, from: f.range?.[0], to: f.range?.[1], person_id: f.person_id ?? undefined };
}

export function loadSubsidySettings(): Promise<SubsidySettings> {
  return api.get<SubsidySettings>('/settings/subsidy');
}

/** Integer fen → "200.00" (yuan, two decimals, no grouping) for an input. */
export function fenToYuanText(fen: number): string {
  return Math.floor(fen / 100) + '.' + String(fen % 100).padStart(2, '0');
}
