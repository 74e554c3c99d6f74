// 账号管理, API令牌 and 审计日志 as the administrator: add an account and reset its
// password, create a token (shown once) and revoke it, filter and export the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, Client, DEMO_PASSWORD, launch, newPage, signIn, pick, pickTree, noProblems } from './browser.mjs';

let server, browser, api, me, dicts;
before(async () => {
  server = await startServer();
  browser = await launch();
  api = new Client(server.url);
  assert.equal((await api.login('admin')).status, 200);
  me = (await api.get('/api/auth/me')).json;
  dicts = (await api.get('/api/dicts')).json;
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const label = (dict, v) => dicts[dict].find((i) => i.value === v).label;

test('add an account, then reset its password', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'admin', DEMO_PASSWORD);
  await page.goto(server.url + '/users');
  const table = page.locator('[data-test=users-table]');
  await table.locator('.el-table__row').first().waitFor();

  await page.locator('[data-test=user-add]').click();
  const dialog = page.locator('.el-dialog', { hasText: '新增账号' });
  await dialog.waitFor();
  const login = 'webtest' + (Date.now() % 100000);
  await dialog.getByPlaceholder('字母、数字、下划线').fill(login);
  await dialog.locator('.el-form-item', { hasText: '姓名' }).locator('input').fill('网页测试员');
  await pick(page, dialog.locator('.el-form-item', { hasText: '所属组织' }).locator('.el-select'), me.user.org_name);
  await pick(page, dialog.locator('.el-form-item', { hasText: '角色' }).locator('.el-select'), label('role', 'bureau_staff'));
  // the password policy is checked before the request
  await dialog.locator('input[type=password]').fill('123');
  await dialog.getByRole('button', { name: '保存' }).click();
  await dialog.locator('.el-form-item__error', { hasText: '至少10个字符' }).waitFor();
  await dialog.locator('input[type=password]').fill('Initial#Pass2026');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/users') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: '保存' }).click();
  assert.equal((await created).status(), 201);
  await dialog.waitFor({ state: 'hidden' });

  const row = table.locator('.el-table__row', { hasText: login });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(label('role', 'bureau_staff')));
  assert.equal((await new Client(server.url).login(login, 'Initial#Pass2026')).status, 200);

  await row.getByRole('button', { name: '重置密码' }).click();
  const rd = page.locator('.el-dialog', { hasText: '重置密码' });
  await rd.waitFor();
  const pw = rd.locator('input[type=password]');
  await pw.nth(0).fill('Reset#Pass20261');
  await pw.nth(1).fill('Reset#Pass20261');
  const reset = page.waitForResponse((r) => /\/api\/users\/\d+\/password$/.test(r.url()));
  await rd.getByRole('button', { name: '确定重置' }).click();
  assert.equal((await reset).status(), 204);
  await rd.waitFor({ state: 'hidden' });
  assert.equal((await new Client(server.url).login(login, 'Initial#Pass2026')).status, 401);
  assert.equal((await new Client(server.url).login(login, 'Reset#Pass20261')).status, 200);
  noProblems(problems());
  await context.close();
});

test('create an API token (shown once, works), then revoke it', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'admin', DEMO_PASSWORD);
  await page.goto(server.url + '/tokens');
  await page.locator('[data-test=tokens-table]').waitFor();
  await page.locator('[data-test=token-add]').click();
  const dialog = page.locator('.el-dialog', { hasText: '新建API令牌' });
  await dialog.waitFor();
  const name = '测试对接系统' + (Date.now() % 10000);
  await dialog.locator('.el-form-item', { hasText: '名称' }).locator('input').fill(name);
  // a partner's system: a partner org, and the role follows the org's kind
  const partnerOrg = (await api.get('/api/orgs?kind=partner')).json.items.find((o) => o.kind === 'partner');
  assert.ok(partnerOrg, 'the demo data has a partner org');
  await pickTree(page, dialog.locator('.el-form-item', { hasText: '所属组织' }).locator('.el-select'), partnerOrg.name);
  assert.equal(await dialog.locator('.el-form-item', { hasText: '角色' }).locator('.el-select__selected-item:not(.is-hidden)').innerText(), label('role', 'partner'));
  await dialog.getByRole('button', { name: '创建' }).click();

  await page.locator('.el-dialog', { hasText: '令牌已创建' }).waitFor();
  const token = await page.locator('input[data-test=token-value]').inputValue();
  assert.match(token, /^tj_/);
  assert.match(await page.locator('.el-dialog', { hasText: '令牌已创建' }).innerText(), /只显示这一次/);
  const bearer = new Client(server.url);
  bearer.bearer = token;
  assert.equal((await bearer.get('/api/orgs')).status, 200, 'the token works');
  await page.getByRole('button', { name: '我已保存，关闭' }).click();

  const row = page.locator('[data-test=tokens-table] .el-table__row', { hasText: name });
  await row.waitFor();
  assert.ok(!(await page.content()).includes(token), 'the token is not shown again');
  await row.getByRole('button', { name: '吊销' }).click();
  await page.locator('.el-message-box').getByRole('button', { name: '吊销' }).click();
  await row.locator('.el-tag', { hasText: '已吊销' }).waitFor();
  assert.equal((await bearer.get('/api/orgs')).status, 401, 'a revoked token is refused');
  noProblems(problems());
  await context.close();
});

test('audit log: filter by action, export the same filter as CSV', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'admin', DEMO_PASSWORD);
  await page.goto(server.url + '/audit');
  await page.locator('[data-test=audit-table] .el-table__row').first().waitFor();
  const resp = page.waitForResponse((r) => r.url().includes('/api/audit?') && r.url().includes('action=login'));
  await pick(page, page.locator('[data-test=a-action]'), label('audit_action', 'login'));
  await page.getByRole('button', { name: '查询' }).click();
  const body = await (await resp).json();
  assert.ok(body.items.length > 0);
  await page.waitForFunction((n) => document.querySelector('[data-test=pager] [data-test=total]')?.textContent === String(n), body.total);
  const actions = await page.locator('[data-test=audit-table] .el-table__row .el-tag').allInnerTexts();
  assert.deepEqual([...new Set(actions.map((s) => s.trim()))], [label('audit_action', 'login')]);

  const dl = page.waitForEvent('download');
  await page.locator('[data-test=audit-export]').click();
  const download = await dl;
  assert.match(download.url(), /\/api\/audit\/export\?action=login/);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.equal(csv.charCodeAt(0), 0xfeff, 'UTF-8 with BOM');
  const lines = csv.trim().split(/\r?\n/);
  assert.equal(lines.length - 1, body.total, 'one line per entry of the filter');
  noProblems(problems());
  await context.close();
});
