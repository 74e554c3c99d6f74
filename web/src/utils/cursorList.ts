import { ref, shallowRef } from 'vue';
import { api, type Query } from '@/api';
import type { Page } from '@/types';

/**
 * A list read page by page with keyset pagination: `cursors[i]` is the cursor that opens
 * page i+1 (null for the first page), so 上一页 goes back without the server's help.
 */
export function useCursorList<T>(path: string, filters: () => Query, initialLimit = 20) {
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const limit = ref(initialLimit);
  const page = ref(1);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  let cursors: (string | null)[] = [null];

  async function fetchPage() {
    loading.value = true;
    try {
      const r = await api.get<Page<T>>(path, { ...filters(), limit: limit.value, cursor: cursors[page.value - 1] });
      items.value = r.items || [];
      total.value = r.total ?? items.value.length;
      nextCursor.value = r.next_cursor || null;
    } catch {
      // already shown by api.ts (ElMessage) or handled (401 → /login)
    } finally {
      loading.value = false;
    }
  }
  /** New filter or page size: back to the first page. */
  function search() {
    cursors = [null];
    page.value = 1;
    return fetchPage();
  }
  function next() {
    if (!nextCursor.value) return Promise.resolve();
    cursors[page.value] = nextCursor.value;
    page.value += 1;
    return fetchPage();
  }
  function prev() {
    if (page.value <= 1) return Promise.resolve();
    page.value -= 1;
    return fetchPage();
  }
  function setLimit(n: number) {
    limit.value = n;
    return search();
  }
  return { items, total, limit, page, nextCursor, loading, search, next, prev, setLimit, reload: fetchPage };
}
