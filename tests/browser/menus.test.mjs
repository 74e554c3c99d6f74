// (2) The menu follows the permissions of /api/auth/me; pages beyond them give the 403
// page; no session → /login and back after signing in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD, launch, newPage, signIn, signOut, menuItems, noProblems } from './browser.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The menu entries and the permission each needs (none: always shown).
const MENU = [
  ['首页', null], ['组织机构', 'org.read'], ['全覆盖检查', 'org.read'], ['人员管理', 'person.read'],
  ['账号管理', 'user.manage'], ['API令牌', 'token.manage'], ['审计日志', 'audit.read'],
  ['工作日历', null], ['个人中心', null],
];

async function permissionsOf(login) {
  const c = new Client(server.url);
  const r = await c.login(login);
  assert.equal(r.status, 200, `${login} signs in`);
  return r.json.permissions;
}

const seen = {};
for (const login of ['admin', 'mediator', 'auditor', 'partner']) {
  test(`menu of ${login} follows its permissions`, async () => {
    const perms = await permissionsOf(login);
    const expected = MENU.filter(([, p]) => !p || perms.includes(p)).map(([t]) => t);
    const { page, context, problems } = await newPage(browser);
    await signIn(page, server.url, login, DEMO_PASSWORD);
    const items = await menuItems(page);
    // Entries of later modules (案件管理 …) may sit between these; the ones above must be
    // exactly those the permissions allow, in this order.
    const known = new Set(MENU.map(([t]) => t));
    assert.deepEqual(items.filter((t) => known.has(t)), expected);
    seen[login] = items;
    noProblems(problems());
    await context.close();
  });
}

test('the roles see different menus', () => {
  assert.ok(seen.admin.includes('账号管理') && seen.admin.includes('API令牌') && seen.admin.includes('审计日志'));
  assert.ok(!seen.mediator.includes('账号管理') && !seen.mediator.includes('审计日志'));
  assert.ok(seen.mediator.includes('人员管理'));
  assert.ok(seen.auditor.includes('审计日志') && !seen.auditor.includes('账号管理'));
  assert.ok(!seen.partner.includes('人员管理') && !seen.partner.includes('审计日志'));
  assert.notDeepEqual(seen.admin, seen.mediator);
  assert.notDeepEqual(seen.mediator, seen.partner);
});

test('mediator cannot open /users or /audit: 403 page, and the API refuses too', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'mediator', DEMO_PASSWORD);
  for (const path of ['/users', '/audit', '/tokens']) {
    await page.goto(server.url + path);
    await page.locator('[data-test=forbidden]').waitFor();
    assert.equal(new URL(page.url()).pathname, '/403');
    assert.match(await page.locator('[data-test=forbidden]').innerText(), /无权访问/);
  }
  const c = new Client(server.url);
  await c.login('mediator');
  assert.equal((await c.get('/api/users')).status, 403);
  noProblems(problems());
  await context.close();
});

test('without a session every page goes to /login, and back after signing in', async () => {
  const { page, context, problems } = await newPage(browser);
  await page.goto(server.url + '/people');
  await page.waitForURL(/\/login\?redirect=/);
  assert.equal(new URL(page.url()).searchParams.get('redirect'), '/people');
  await page.locator('input[name=login]').fill('auditor');
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.locator('[data-test=login-submit]').click();
  await page.locator('[data-test=people-table]').waitFor();
  assert.equal(new URL(page.url()).pathname, '/people');

  // signing out ends the session: the pages are closed again
  await signOut(page);
  await page.goto(server.url + '/orgs');
  await page.waitForURL(/\/login/);
  noProblems(problems());
  await context.close();
});

test('a session ended on the server sends the next call to /login (401 handling)', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'admin', DEMO_PASSWORD);
  await page.goto(server.url + '/orgs');
  await page.locator('[data-test=detail-name]').waitFor();
  await page.waitForLoadState('networkidle');
  // drop the session cookie behind the app's back, then use the app
  await context.clearCookies();
  await page.locator('[data-test=side-menu] .el-menu-item', { hasText: '人员管理' }).click();
  await page.waitForURL(/\/login\?redirect=(%2F|\/)people/);
  noProblems(problems());
  await context.close();
});
