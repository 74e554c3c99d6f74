// POST /api/files takes the raw file body (not multipart): Content-Type of the file and the
// name in X-Filename (percent-encoded UTF-8). api.ts speaks JSON only, hence this helper.
import { ApiError } from '@/api';
import { useAuthStore } from '@/stores/auth';
import type { UploadedFile } from './types';

export const MAX_UPLOAD = 20 * 1024 * 1024; // the server's default TIAOJIE_MAX_UPLOAD
export const ACCEPT = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';

export async function uploadFile(file: File): Promise<UploadedFile> {
  const auth = useAuthStore();
  let res: Response;
  try {
    res = await fetch('/api/files', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': file.type || 'application/octet-stream',
        'X-Filename': encodeURIComponent(file.name),
        'X-CSRF-Token': auth.csrfToken,
      },
      body: file,
    });
  } catch {
    throw new ApiError('network', '无法连接服务器，请检查网络后重试', 0);
  }
  const text = await res.text();
  let json: unknown = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    throw new ApiError(e?.code || 'http_' + res.status, e?.message || `上传失败（${res.status}）`, res.status, e?.field);
  }
  return json as UploadedFile;
}
