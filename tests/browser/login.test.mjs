// (5) Sign-in failures show the server's message (401 login_failed, 429 rate_limited as is);
// (7) the sign-in page on a phone (390×844): fits, works, screenshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client, DEMO_PASSWORD, launch, newPage, noProblems, OUT } from './browser.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function tryLogin(page, login, password) {
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(password);
  const resp = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
  await page.locator('[data-test=login-submit]').click();
  return resp;
}

test('wrong password: the API message is shown, no session', async () => {
  const { page, context, problems } = await newPage(browser);
  await page.goto(server.url + '/login');
  assert.equal((await page.locator('[data-test=product-name]').innerText()).trim(), '人民调解综合管理平台');

  // empty form: client-side messages, no request
  await page.locator('[data-test=login-submit]').click();
  await page.locator('.el-form-item__error', { hasText: '请输入登录名' }).waitFor();

  const r = await tryLogin(page, 'bureau', 'wrong-password-1');
  assert.equal(r.status(), 401);
  const body = await r.json();
  assert.equal(body.error.code, 'login_failed');
  const alert = page.locator('[data-test=login-error]');
  await alert.waitFor();
  assert.equal((await alert.innerText()).trim(), body.error.message);
  assert.equal(new URL(page.url()).pathname, '/login');
  // the same message for an unknown login (no account enumeration)
  const r2 = await tryLogin(page, 'no-such-user', 'wrong-password-1');
  assert.equal((await r2.json()).error.message, body.error.message);
  assert.equal(await page.locator('input[name=password]').inputValue(), '', 'the password is cleared');
  noProblems(problems());
  await context.close();
});

test('too many failures: the 429 message is shown as the server words it', async () => {
  const c = new Client(server.url);
  let last;
  for (let i = 0; i < 6; i++) last = await c.login('informant', 'wrong-password-' + i);
  assert.equal(last.status, 429, 'the API rate-limits after 5 failures');
  const { page, context } = await newPage(browser);
  await page.goto(server.url + '/login');
  const r = await tryLogin(page, 'informant', DEMO_PASSWORD);
  assert.equal(r.status(), 429);
  const msg = (await r.json()).error.message;
  const alert = page.locator('[data-test=login-error]');
  await alert.waitFor();
  assert.equal((await alert.innerText()).trim(), msg);
  assert.match(msg, /分钟/);
  await context.close();
});

test('phone-sized login page: fits the screen and signs in', async () => {
  const { page, context, problems } = await newPage(browser, {
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  await page.goto(server.url + '/login');
  await page.locator('[data-test=product-name]').waitFor();
  const box = await page.locator('.login-card').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `card inside the screen: ${JSON.stringify(box)}`);
  const scrollW = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollW <= 390, `no horizontal scroll (${scrollW})`);
  const btn = await page.locator('[data-test=login-submit]').boundingBox();
  assert.ok(btn.height >= 36, 'the button is big enough to tap');
  await page.screenshot({ path: join(OUT, 'login-phone.png') });

  await page.locator('input[name=login]').fill('mediator');
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.locator('[data-test=login-submit]').tap();
  await page.locator('[data-test=user-box]').waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 400, `home page on a phone has no wide overflow (${w})`);
  await page.screenshot({ path: join(OUT, 'home-phone.png') });
  noProblems(problems());
  await context.close();
});
