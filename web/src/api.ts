// The one wrapper around fetch that every page uses.
// - JSON in and out, cookies same-origin;
// - X-CSRF-Token on every non-GET request (token from login / me, set by the auth store);
// - `{"error":{code,message,field}}` becomes a thrown ApiError, shown with ElMessage.error
//   unless the caller passes `silent: true` (forms that show the message themselves);
// - 401 from any call (but the sign-in itself) sends the browser to /login.
import { ElMessage } from 'element-plus';

export class ApiError extends Error {
  code: string;
  field: string | null;
  status: number;
  state: string | null;
  constructor(code: string, message: string, status: number, field?: string | null, state?: string | null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.field = field ?? null;
    this.state = state ?? null;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Do not show ElMessage.error for a failure (the caller shows it). */
  silent?: boolean;
  /** Do not redirect to /login on 401 (the sign-in form, the session probe). */
  noAuthRedirect?: boolean;
}

let csrfToken = '';
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token || '';
}

export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

/** `/api` + path + query string, skipping empty values. */
export function apiUrl(path: string, query?: Query): string {
  let url = '/api' + path;
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      qs.append(k, String(v));
    }
    const s = qs.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  return url;
}

export async function request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    const err = new ApiError('network', '无法连接服务器，请检查网络后重试', 0);
    if (!opts.silent) ElMessage.error(err.message);
    throw err;
  }

  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }

  if (!res.ok) {
    const e = (json && typeof json === 'object' && 'error' in json)
      ? (json as { error: { code?: string; message?: string; field?: string; state?: string } }).error
      : null;
    const err = new ApiError(
      e?.code || 'http_' + res.status,
      e?.message || `服务器错误（${res.status}）`,
      res.status,
      e?.field,
      e?.state,
    );
    if (res.status === 401 && !opts.noAuthRedirect) {
      setCsrfToken('');
      if (unauthorizedHandler) unauthorizedHandler();
      throw err; // the sign-in page explains; no toast on top of it
    }
    if (!opts.silent) ElMessage.error(err.message);
    throw err;
  }
  return json as T;
}

export const api = {
  get: <T = unknown>(path: string, query?: Query, opts: RequestOptions = {}) =>
    request<T>('GET', path, { ...opts, query }),
  post: <T = unknown>(path: string, body: unknown = {}, opts: RequestOptions = {}) =>
    request<T>('POST', path, { ...opts, body }),
  patch: <T = unknown>(path: string, body: unknown, opts: RequestOptions = {}) =>
    request<T>('PATCH', path, { ...opts, body }),
  del: <T = unknown>(path: string, opts: RequestOptions = {}) => request<T>('DELETE', path, opts),
};

/**
 * Maps a server field error onto a form's props: "id_number" → "id_number",
 * "orgs[0].id" → "orgs", "parties[0].id_number" → "parties". Returns null when the
 * error names no field or a field the form does not show.
 */
export function fieldOf(err: unknown, props: string[]): string | null {
  if (!(err instanceof ApiError) || !err.field) return null;
  if (props.includes(err.field)) return err.field;
  const head = err.field.split(/[.[]/)[0];
  return props.includes(head) ? head : null;
}
