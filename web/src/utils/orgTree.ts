import type { Org } from '@/types';

export interface OrgNode {
  id: number;
  label: string;
  value: number;
  org: Org;
  disabled?: boolean;
  children: OrgNode[];
}

/**
 * Builds the org tree from the flat list of GET /api/orgs (ordered by path) by parent_id.
 * An org whose parent is not in the list becomes a root.
 */
export function buildOrgTree(items: Org[], kindOrder: string[] = []): OrgNode[] {
  const nodes = new Map<number, OrgNode>();
  for (const o of items) nodes.set(o.id, { id: o.id, value: o.id, label: o.name, org: o, children: [] });
  const roots: OrgNode[] = [];
  for (const o of items) {
    const n = nodes.get(o.id)!;
    const p = o.parent_id != null ? nodes.get(o.parent_id) : undefined;
    if (p) p.children.push(n);
    else roots.push(n);
  }
  // Siblings: by kind in dictionary order (司法所 before 调委会 before 对接单位), then as listed.
  if (kindOrder.length) {
    const rank = (k: string) => { const i = kindOrder.indexOf(k); return i < 0 ? kindOrder.length : i; };
    const sortRec = (list: OrgNode[]) => {
      list.sort((a, b) => rank(a.org.kind) - rank(b.org.kind));
      list.forEach((n) => sortRec(n.children));
    };
    sortRec(roots);
  }
  return roots;
}

/** Copy of a tree with `disabled` set on the nodes for which pred is true (and their subtrees). */
export function disableNodes(nodes: OrgNode[], pred: (o: Org) => boolean, inherited = false): OrgNode[] {
  return nodes.map((n) => {
    const d = inherited || pred(n.org);
    return { ...n, disabled: d, children: disableNodes(n.children, pred, d) };
  });
}
