// The flat org list of the caller's scope (GET /api/orgs), shared by the pages that pick an org.
import { defineStore } from 'pinia';
import { api } from '@/api';
import type { Org, Page } from '@/types';
import { buildOrgTree, type OrgNode } from '@/utils/orgTree';
import { useDictStore } from '@/stores/dicts';

const kindOrder = () => useDictStore().options('org_kind').map((o) => o.value);

export const useOrgStore = defineStore('orgs', {
  state: () => ({ items: [] as Org[], loaded: false, withDissolved: false }),
  getters: {
    tree: (s): OrgNode[] => buildOrgTree(s.items, kindOrder()),
    activeTree: (s): OrgNode[] => buildOrgTree(s.items.filter((o) => !o.dissolved_on), kindOrder()),
    byId: (s) => new Map(s.items.map((o) => [o.id, o] as const)),
  },
  actions: {
    async load(force = false, withDissolved = false) {
      if (this.loaded && !force && this.withDissolved === withDissolved) return;
      const r = await api.get<Page<Org>>('/orgs', withDissolved ? { include_dissolved: 1 } : undefined);
      this.items = r.items || [];
      this.withDissolved = withDissolved;
      this.loaded = true;
    },
  },
});
