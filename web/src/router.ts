import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useAuthStore } from '@/stores/auth';
import { useDictStore } from '@/stores/dicts';
import AppLayout from '@/layout/AppLayout.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Page title, shown in the breadcrumb and the document title. */
    title?: string;
    /** Permission (from /api/auth/me) needed to open the page; none = every signed-in user. */
    perm?: string;
    /** Menu group title for the breadcrumb (see menu.ts). */
    group?: string;
    /** Reachable without signing in. */
    public?: boolean;
  }
}

// Pages of the signed-in area. Later modules (案件管理, 排查预警, 统计报表 …) add their
// routes here and their entries in menu.ts, each with the permission it needs.
const appRoutes: RouteRecordRaw[] = [
  { path: '', name: 'home', component: () => import('@/views/HomeView.vue'), meta: { title: '首页' } },
  // 案件管理
  { path: 'cases', name: 'cases', component: () => import('@/views/cases/CaseListView.vue'), meta: { title: '案件查询', perm: 'case.read', group: '案件管理' } },
  { path: 'cases/new', name: 'case-new', component: () => import('@/views/cases/CaseNewView.vue'), meta: { title: '纠纷登记', perm: 'case.write', group: '案件管理' } },
  { path: 'cases/:id(\\d+)', name: 'case', component: () => import('@/views/cases/CaseDetailView.vue'), meta: { title: '案件详情', perm: 'case.read', group: '案件管理' } },
  { path: 'cases/stats', name: 'case-stats', component: () => import('@/views/cases/CaseStatsView.vue'), meta: { title: '案件统计', perm: 'case.read', group: '案件管理' } },
  { path: 'todo', name: 'todo', component: () => import('@/views/cases/TodoView.vue'), meta: { title: '我的待办', perm: 'case.read', group: '案件管理' } },
  // 对接移送 (docs/referrals.md)
  { path: 'referrals', name: 'referrals', component: () => import('@/views/referrals/ReferralListView.vue'), meta: { title: '移送管理', perm: 'referral.read', group: '对接移送' } },
  { path: 'referrals/new', name: 'referral-new', component: () => import('@/views/referrals/ReferralFormView.vue'), meta: { title: '移送登记', perm: 'referral.write', group: '对接移送' } },
  { path: 'referrals/approval', name: 'referral-approval', component: () => import('@/views/referrals/ReferralListView.vue'), meta: { title: '待审签', perm: 'referral.approve', group: '对接移送' } },
  { path: 'referrals/stats', name: 'referral-stats', component: () => import('@/views/referrals/ReferralStatsView.vue'), meta: { title: '移送统计', perm: 'referral.read', group: '对接移送' } },
  { path: 'referrals/:id(\\d+)', name: 'referral', component: () => import('@/views/referrals/ReferralDetailView.vue'), meta: { title: '移送详情', perm: 'referral.read', group: '对接移送' } },
  { path: 'referrals/:id(\\d+)/edit', name: 'referral-edit', component: () => import('@/views/referrals/ReferralFormView.vue'), meta: { title: '修改移送', perm: 'referral.write', group: '对接移送' } },
  { path: 'webhooks', name: 'webhooks', component: () => import('@/views/referrals/WebhooksView.vue'), meta: { title: '推送设置', perm: 'webhook.manage', group: '对接移送' } },
  // 考评补贴 (卷宗审核, 以案定补)
  { path: 'reviews', name: 'reviews', component: () => import('@/views/subsidies/PendingReviewsView.vue'), meta: { title: '待审卷宗', perm: 'case.review', group: '考评补贴' } },
  { path: 'subsidies', name: 'subsidies', component: () => import('@/views/subsidies/SubsidyLedgerView.vue'), meta: { title: '以案定补', perm: 'stats.read', group: '考评补贴' } },
  { path: 'orgs', name: 'orgs', component: () => import('@/views/OrgsView.vue'), meta: { title: '组织机构', perm: 'org.read', group: '组织队伍' } },
  { path: 'coverage', name: 'coverage', component: () => import('@/views/CoverageView.vue'), meta: { title: '全覆盖检查', perm: 'org.read', group: '组织队伍' } },
  { path: 'people', name: 'people', component: () => import('@/views/PeopleView.vue'), meta: { title: '人员管理', perm: 'person.read', group: '组织队伍' } },
  { path: 'users', name: 'users', component: () => import('@/views/UsersView.vue'), meta: { title: '账号管理', perm: 'user.manage', group: '系统管理' } },
  { path: 'tokens', name: 'tokens', component: () => import('@/views/TokensView.vue'), meta: { title: 'API令牌', perm: 'token.manage', group: '系统管理' } },
  { path: 'audit', name: 'audit', component: () => import('@/views/AuditView.vue'), meta: { title: '审计日志', perm: 'audit.read', group: '系统管理' } },
  { path: 'calendar', name: 'calendar', component: () => import('@/views/CalendarView.vue'), meta: { title: '工作日历', group: '系统管理' } },
  { path: 'profile', name: 'profile', component: () => import('@/views/ProfileView.vue'), meta: { title: '个人中心' } },
  { path: '403', name: 'forbidden', component: () => import('@/views/ForbiddenView.vue'), meta: { title: '无权访问' } },
  { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue'), meta: { title: '页面不存在' } },
];

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { title: '登录', public: true } },
  { path: '/', component: AppLayout, children: appRoutes },
];

const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  const auth = useAuthStore();
  const dicts = useDictStore();
  const work: Promise<unknown>[] = [dicts.load().catch(() => undefined)];
  if (!auth.probed) work.push(auth.probe().catch(() => false));
  await Promise.all(work);

  if (to.meta.public) {
    if (to.name === 'login' && auth.signedIn) return { path: (to.query.redirect as string) || '/' };
    return true;
  }
  if (!auth.signedIn) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  }
  if (to.meta.perm && !auth.can(to.meta.perm)) {
    return { name: 'forbidden', query: { from: to.fullPath } };
  }
  return true;
});

router.afterEach((to) => {
  document.title = (to.meta.title ? to.meta.title + ' - ' : '') + '人民调解综合管理平台';
});

export default router;
