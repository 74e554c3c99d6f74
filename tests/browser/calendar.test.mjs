// 工作日历: the year's special days from the API, the working-day calculator, and an
// administrator override added and removed again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD, launch, newPage, signIn, noProblems } from './browser.mjs';

let server, browser, api;
before(async () => {
  server = await startServer();
  browser = await launch();
  api = new Client(server.url);
  assert.equal((await api.login('admin')).status, 200);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const dates = (page) => page.locator('[data-test=cal-table] .el-table__body-wrapper tr td:first-child').allInnerTexts();

test('year list, working-day calculator, override and restore', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'admin', DEMO_PASSWORD);
  await page.goto(server.url + '/calendar');

  // 2025: the table lists what the API lists
  const y2025 = (await api.get('/api/calendar/year/2025')).json.days;
  const yearInput = page.locator('.el-card', { hasText: '节假日与调休安排' }).locator('.el-date-editor input');
  await yearInput.fill('2025');
  await yearInput.press('Enter');
  await page.waitForFunction((d) => [...document.querySelectorAll('[data-test=cal-table] .el-table__body-wrapper tr td:first-child')]
    .some((td) => td.textContent.trim() === d), y2025[0].date);
  assert.deepEqual((await dates(page)).map((s) => s.trim()), y2025.map((d) => d.date));
  const oct11 = page.locator('[data-test=cal-table] tr', { hasText: '2025-10-11' });
  assert.match(await oct11.innerText(), /调休上班/);

  // calculator: 2025-09-30 + 5 working days, as the API computes it
  const expected = (await api.get('/api/calendar/add-workdays?date=2025-09-30&days=5')).json.date;
  const calc = page.locator('.el-card', { hasText: '工作日计算器' });
  const dateInput = calc.locator('.el-date-editor input');
  await dateInput.fill('2025-09-30');
  await dateInput.press('Enter');
  await calc.locator('.el-input-number input').fill('5');
  await calc.locator('[data-test=calc-submit]').click();
  await page.locator('[data-test=calc-result]').waitFor();
  assert.equal((await page.locator('[data-test=calc-result]').innerText()).trim(), expected);

  // override: 2025-12-31 becomes a day off, then is restored
  await page.locator('[data-test=cal-add]').click();
  const dialog = page.locator('.el-dialog', { hasText: '调整工作日安排' });
  await dialog.waitFor();
  const d = dialog.locator('.el-date-editor input');
  await d.fill('2025-12-31');
  await d.press('Enter');
  await dialog.locator('.el-radio', { hasText: '放假' }).click();
  await dialog.locator('.el-form-item', { hasText: '说明' }).locator('input').fill('浏览器测试');
  await dialog.getByRole('button', { name: '保存' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const row = page.locator('[data-test=cal-table] tr', { hasText: '2025-12-31' });
  await row.waitFor();
  assert.match(await row.innerText(), /放假[\s\S]*浏览器测试[\s\S]*管理员调整/);
  const day = (await api.get('/api/calendar/year/2025')).json.days.find((x) => x.date === '2025-12-31');
  assert.deepEqual([day.working, day.overridden], [false, true]);

  await row.getByRole('button', { name: '恢复' }).click();
  await page.locator('.el-message-box').getByRole('button', { name: '恢复' }).click();
  await row.waitFor({ state: 'detached' });
  assert.ok(!(await api.get('/api/calendar/year/2025')).json.days.some((x) => x.date === '2025-12-31'));
  noProblems(problems());
  await context.close();
});

test('a mediator reads the calendar but cannot change it', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'mediator', DEMO_PASSWORD);
  await page.goto(server.url + '/calendar');
  await page.locator('[data-test=cal-table] .el-table__row').first().waitFor();
  assert.equal(await page.locator('[data-test=cal-add]').count(), 0);
  noProblems(problems());
  await context.close();
});
