// The editable form of a party of POST /api/cases (docs/api.md "Cases").
let seq = 0;

export interface PartyForm {
  /** Stable key for v-for; not sent. */
  key: number;
  /** The 代理人 block is unfolded; not sent. */
  agentOpen: boolean;
  role: string;
  kind: string;
  name: string;
  id_number: string;
  sex: string;
  ethnicity: string;
  birth_date: string;
  occupation: string;
  credit_code: string;
  legal_rep: string;
  phone: string;
  address: string;
  agent_name: string;
  agent_phone: string;
  agent_relation: string;
}

export const PARTY_FIELDS = [
  'role', 'kind', 'name', 'id_number', 'sex', 'ethnicity', 'birth_date', 'occupation', 'credit_code',
  'legal_rep', 'phone', 'address', 'agent_name', 'agent_phone', 'agent_relation',
] as const;

export function emptyParty(role = 'applicant'): PartyForm {
  seq += 1;
  return {
    key: seq, agentOpen: false, role, kind: 'person', name: '', id_number: '', sex: '', ethnicity: '',
    birth_date: '', occupation: '', credit_code: '', legal_rep: '', phone: '', address: '',
    agent_name: '', agent_phone: '', agent_relation: '',
  };
}

export const isOrgKind = (kind: string) => kind === 'legal_person' || kind === 'other_org';

/** The JSON body of one party: only what its kind has, no empty strings. */
export function partyBody(p: PartyForm): Record<string, string> {
  const out: Record<string, string> = { role: p.role, kind: p.kind, name: p.name.trim() };
  const personOnly = ['id_number', 'sex', 'ethnicity', 'birth_date', 'occupation'];
  const orgOnly = ['credit_code', 'legal_rep'];
  for (const f of PARTY_FIELDS) {
    if (f === 'role' || f === 'kind' || f === 'name') continue;
    if (isOrgKind(p.kind) ? personOnly.includes(f) : orgOnly.includes(f)) continue;
    // With an identity number the server takes sex and birth date from it.
    if ((f === 'sex' || f === 'birth_date') && p.id_number.trim()) continue;
    let v = String(p[f] ?? '').trim();
    if (f === 'id_number' || f === 'credit_code') v = v.toUpperCase();
    if (v) out[f] = v;
  }
  return out;
}
