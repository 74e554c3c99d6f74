// Enum labels, loaded once from GET /api/dicts. Components never spell a label themselves:
// they call label('org_kind', 'committee') or options('org_kind').
import { defineStore } from 'pinia';
import { api } from '@/api';
import type { DictItem, Dicts } from '@/types';

// Only for enums that GET /api/dicts does not (yet) carry; a dict from the server wins.
const FALLBACK: Dicts = {
  grade: [
    { value: '1', label: '一级' },
    { value: '2', label: '二级' },
    { value: '3', label: '三级' },
    { value: '4', label: '四级' },
  ],
};

// Values that any dictionary may meet in statistics (GET /api/stats/overview).
const COMMON: Record<string, string> = { unspecified: '未填写' };

let loading: Promise<void> | null = null;

export const useDictStore = defineStore('dicts', {
  state: () => ({ dicts: {} as Dicts, loaded: false }),
  actions: {
    load(): Promise<void> {
      if (this.loaded) return Promise.resolve();
      if (!loading) {
        loading = api.get<Dicts>('/dicts', undefined, { noAuthRedirect: true })
          .then((d) => { this.dicts = d || {}; this.loaded = true; })
          .finally(() => { loading = null; });
      }
      return loading;
    },
    options(name: string): DictItem[] {
      const d = this.dicts[name];
      return d && d.length ? d : (FALLBACK[name] || []);
    },
    label(name: string, value: string | number | null | undefined): string {
      if (value === null || value === undefined || value === '') return '';
      const v = String(value);
      const hit = this.options(name).find((i) => String(i.value) === v);
      return hit ? hit.label : (COMMON[v] ?? v);
    },
  },
});
