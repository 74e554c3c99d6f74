import { defineStore } from 'pinia';
import { api, ApiError, setCsrfToken } from '@/api';
import type { SessionInfo, SessionUser } from '@/types';

export const useAuthStore = defineStore('auth', {
  state: () => ({
    user: null as SessionUser | null,
    permissions: [] as string[],
    csrfToken: '',
    /** true once GET /api/auth/me has answered (signed in or not). */
    probed: false,
  }),
  getters: {
    signedIn: (s) => s.user !== null,
  },
  actions: {
    can(perm: string | undefined | null): boolean {
      return !perm || this.permissions.includes(perm);
    },
    apply(info: SessionInfo) {
      this.user = info.user;
      this.permissions = info.permissions || [];
      this.csrfToken = info.csrf_token || '';
      setCsrfToken(this.csrfToken);
      this.probed = true;
    },
    clear() {
      this.user = null;
      this.permissions = [];
      this.csrfToken = '';
      setCsrfToken('');
    },
    async probe(): Promise<boolean> {
      try {
        const info = await api.get<SessionInfo>('/auth/me', undefined, { silent: true, noAuthRedirect: true });
        this.apply(info);
      } catch (e) {
        this.clear();
        this.probed = true;
        if (!(e instanceof ApiError) || e.status !== 401) throw e;
      }
      return this.signedIn;
    },
    async login(login: string, password: string) {
      const info = await api.post<SessionInfo>('/auth/login', { login, password }, { silent: true, noAuthRedirect: true });
      this.apply(info);
    },
    async logout() {
      try {
        await api.post('/auth/logout', {}, { silent: true, noAuthRedirect: true });
      } finally {
        this.clear();
      }
    },
  },
});
