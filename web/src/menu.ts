// The sidebar menu. An entry is shown when the signed-in user has its route's permission
// (route meta.perm); a group is shown when at least one of its entries is.
// Later modules add their groups here (案件管理 between 首页 and 组织队伍, and so on).
import type { Component } from 'vue';
import { useAuthStore } from '@/stores/auth';
import { Connection, Document, HomeFilled, Medal, OfficeBuilding, Setting, User } from '@element-plus/icons-vue';

export interface MenuItem {
  path: string; title: string; perm?: string;
  /** Only for accounts of these org kinds (移送登记, 待审签: the referring agencies). */
  orgKinds?: string[];
}
export interface MenuGroup { key: string; title: string; icon: Component; children: MenuItem[] }
export type MenuEntry = (MenuItem & { icon: Component }) | MenuGroup;

export const MENU: MenuEntry[] = [
  { path: '/', title: '首页', icon: HomeFilled },
  {
    key: 'case', title: '案件管理', icon: Document, children: [
      { path: '/cases/new', title: '纠纷登记', perm: 'case.write' },
      { path: '/cases', title: '案件查询', perm: 'case.read' },
      { path: '/todo', title: '我的待办', perm: 'case.read' },
      { path: '/cases/stats', title: '案件统计', perm: 'case.read' },
    ],
  },
  {
    key: 'org', title: '组织队伍', icon: OfficeBuilding, children: [
      { path: '/orgs', title: '组织机构', perm: 'org.read' },
      { path: '/coverage', title: '全覆盖检查', perm: 'org.read' },
      { path: '/people', title: '人员管理', perm: 'person.read' },
    ],
  },
  {
    key: 'referral', title: '对接移送', icon: Connection, children: [
      { path: '/referrals/new', title: '移送登记', perm: 'referral.write', orgKinds: ['partner'] },
      { path: '/referrals', title: '移送管理', perm: 'referral.read' },
      { path: '/referrals/approval', title: '待审签', perm: 'referral.approve', orgKinds: ['partner'] },
      { path: '/referrals/stats', title: '移送统计', perm: 'referral.read' },
      { path: '/webhooks', title: '推送设置', perm: 'webhook.manage' },
    ],
  },
  {
    key: 'subsidy', title: '考评补贴', icon: Medal, children: [
      { path: '/reviews', title: '待审卷宗', perm: 'case.review' },
      { path: '/subsidies', title: '以案定补', perm: 'stats.read' },
    ],
  },
  {
    key: 'system', title: '系统管理', icon: Setting, children: [
      { path: '/users', title: '账号管理', perm: 'user.manage' },
      { path: '/tokens', title: 'API令牌', perm: 'token.manage' },
      { path: '/audit', title: '审计日志', perm: 'audit.read' },
      { path: '/calendar', title: '工作日历' },
    ],
  },
  { path: '/profile', title: '个人中心', icon: User },
];

export function isGroup(e: MenuEntry): e is MenuGroup {
  return 'children' in e;
}

/** The menu as the user may see it. */
export function visibleMenu(can: (perm?: string) => boolean): MenuEntry[] {
  const out: MenuEntry[] = [];
  for (const e of MENU) {
    if (isGroup(e)) {
      const kind = useAuthStore().user?.org_kind || '';
      const children = e.children.filter((c) => can(c.perm) && (!c.orgKinds || c.orgKinds.includes(kind)));
      if (children.length) out.push({ ...e, children });
    } else if (can(e.perm)) {
      out.push(e);
    }
  }
  return out;
}
