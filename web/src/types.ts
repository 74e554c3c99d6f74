// Shapes of the JSON objects of docs/api.md. Field names follow the glossary.

export interface DictItem { value: string; label: string }
export type Dicts = Record<string, DictItem[]>;

export interface SessionUser {
  id: number;
  login: string;
  name: string;
  role: string;
  org_id: number;
  org_name: string;
  org_kind: string;
  phone?: string | null;
}

export interface SessionInfo {
  user: SessionUser;
  permissions: string[];
  csrf_token: string;
}

export interface Org {
  id: number;
  parent_id: number | null;
  name: string;
  kind: string;
  level: string | null;
  region_code: string | null;
  field: string | null;
  host: string | null;
  partner_type: string | null;
  address: string | null;
  phone: string | null;
  founded_on: string | null;
  dissolved_on: string | null;
  path: string;
  created_at?: string;
  updated_at?: string;
  // GET /api/orgs/:id only
  parent_name?: string | null;
  children_count?: number;
  people_count?: number;
  user_count?: number;
  /** GET /api/orgs/:id: whether the caller may change this org. */
  writable?: boolean;
}

export interface PersonOrg { id: number; name?: string; duty?: string | null }

export interface Person {
  id: number;
  name: string;
  sex: string | null;
  kind: string;
  employment: string | null;
  profession: string | null;
  background: string | null;
  specialties: string[];
  phone: string | null;
  id_number_masked: string | null;
  grade: number | null;
  orgs: PersonOrg[];
  active: boolean;
  created_at?: string;
  updated_at?: string;
}

export interface User {
  id: number;
  login: string;
  name: string;
  role: string;
  org_id: number;
  org_name: string;
  phone: string | null;
  disabled: boolean;
  last_login_at: string | null;
  created_at: string;
}

export interface ApiToken {
  id: number;
  name: string;
  org_id: number;
  org_name: string;
  role: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor_id: number | null;
  actor_login: string | null;
  org_id: number | null;
  action: string;
  object_type: string | null;
  object_id: number | string | null;
  request_id: string | null;
  client_ip: string | null;
  detail: Record<string, unknown> | null;
}

export interface Page<T> { items: T[]; total: number; next_cursor?: string | null }

export interface Overview {
  org: { name: string; id?: number };
  orgs_by_kind: Record<string, number>;
  people_by_kind: Record<string, number>;
  mediators_by_employment: Record<string, number>;
  users: number;
  coverage: { total: number; covered: number; rate?: number | null };
}

export interface Health {
  status: string;
  version: string;
  schema_version: number;
  database: string;
  time: string;
}

export interface Coverage {
  total: number;
  covered: number;
  rate: number | null;
  org?: { id: number; name: string; region_code: string | null };
  uncovered: { region_code: string; name: string; township: string | null }[];
}

export interface CalendarDay { date: string; working: boolean; note: string | null; overridden?: boolean }
export interface CalendarYear { year: number; days: CalendarDay[] }
