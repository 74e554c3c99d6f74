// (6) Password change through 个人中心: policy checked on the client, wrong old password
// from the server, success; the old password stops working, the new one works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD, launch, newPage, signIn, signOut, noProblems } from './browser.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('office changes its password in 个人中心', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'office', DEMO_PASSWORD);
  // through the header dropdown: 修改密码
  await page.locator('[data-test=user-box]').click();
  await page.locator('.el-dropdown-menu__item', { hasText: '修改密码' }).click();
  await page.waitForURL(/\/profile/);
  const info = await page.locator('[data-test=profile-info]').innerText();
  assert.match(info, /office/);

  const form = page.locator('[data-test=password-form]');
  const fill = async (o, n, c) => {
    await form.locator('input[data-test=pw-old]').fill(o);
    await form.locator('input[data-test=pw-new]').fill(n);
    await form.locator('input[data-test=pw-confirm]').fill(c);
  };

  // client policy: too short, equal to the login, mismatched confirmation
  await fill(DEMO_PASSWORD, 'short1', 'short1');
  await form.locator('[data-test=pw-submit]').click();
  await form.locator('.el-form-item__error', { hasText: '至少10个字符' }).waitFor();
  await fill(DEMO_PASSWORD, 'Newpass#2026x', 'Newpass#2026y');
  await form.locator('[data-test=pw-submit]').click();
  await form.locator('.el-form-item__error', { hasText: '不一致' }).waitFor();

  // wrong old password: the server says so
  await fill('Not-the-password-1', 'Newpass#2026x', 'Newpass#2026x');
  const bad = page.waitForResponse((r) => r.url().endsWith('/api/auth/password'));
  await form.locator('[data-test=pw-submit]').click();
  const br = await bad;
  assert.ok(br.status() >= 400 && br.status() < 500);
  const msg = (await br.json()).error.message;
  await page.getByText(msg).first().waitFor();

  // success
  await fill(DEMO_PASSWORD, 'Newpass#2026x', 'Newpass#2026x');
  const ok = page.waitForResponse((r) => r.url().endsWith('/api/auth/password'));
  await form.locator('[data-test=pw-submit]').click();
  assert.equal((await ok).status(), 204);
  await page.locator('.el-message--success', { hasText: '密码已修改' }).waitFor();
  // still signed in here
  await page.goto(server.url + '/');
  await page.locator('[data-test=user-name]').waitFor();

  await signOut(page);
  const c = new Client(server.url);
  assert.equal((await c.login('office', DEMO_PASSWORD)).status, 401, 'old password refused');
  await signIn(page, server.url, 'office', 'Newpass#2026x');
  assert.equal(new URL(page.url()).pathname, '/');
  noProblems(problems());
  await context.close();
});
