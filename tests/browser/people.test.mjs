// (4) People page: filter by kind; add a mediator with an invalid identity number (the
// client's check digit error, then the server's field error under the same item), then a
// valid one, and see it in the table masked; unmask it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client, DEMO_PASSWORD, launch, newPage, signIn, pick, noProblems, idCheck, OUT } from './browser.mjs';

let server, browser, api, dicts;
before(async () => {
  server = await startServer();
  browser = await launch();
  api = new Client(server.url);
  assert.equal((await api.login('admin')).status, 200);
  dicts = (await api.get('/api/dicts')).json;
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const label = (dict, v) => dicts[dict].find((i) => i.value === v).label;

test('filter by kind, add a mediator, identity number errors, masked in the table', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'admin', DEMO_PASSWORD);
  await page.goto(server.url + '/people');
  const table = page.locator('[data-test=people-table]');
  const total = page.locator('[data-test=pager] [data-test=total]');
  const all = (await api.get('/api/people?limit=1')).json.total;
  await page.waitForFunction((n) => document.querySelector('[data-test=pager] [data-test=total]')?.textContent === String(n), all);

  // filter by kind: every row has that kind and the total is the API's
  const kind = ['informant', 'mediator'].find((k) => dicts.person_kind.some((i) => i.value === k));
  const expected = (await api.get('/api/people?limit=1&kind=' + kind)).json.total;
  assert.ok(expected > 0, `demo data has people of kind ${kind}`);
  const resp = page.waitForResponse((r) => r.url().includes('/api/people?') && r.url().includes('kind=' + kind));
  await pick(page, page.locator('[data-test=s-kind]'), label('person_kind', kind));
  await page.locator('[data-test=s-submit]').click();
  await resp;
  await page.waitForFunction((n) => document.querySelector('[data-test=pager] [data-test=total]')?.textContent === String(n), expected);
  const kinds = await table.locator('[data-test=kind]').allInnerTexts();
  assert.ok(kinds.length > 0);
  assert.deepEqual([...new Set(kinds.map((s) => s.trim()))], [label('person_kind', kind)]);
  assert.equal((await total.innerText()).trim(), String(expected));

  // add a mediator
  await page.locator('[data-test=person-add]').click();
  const dialog = page.locator('.el-dialog', { hasText: '新增人员' });
  await dialog.waitFor();
  const name = '测试调解员' + String(Date.now() % 10000).padStart(4, '0');
  await dialog.locator('input[data-test=p-name]').fill(name);
  await dialog.locator('input[data-test=p-phone]').fill('13912345678');
  await pick(page, dialog.locator('[data-test=p-employment]'), label('employment', 'part_time'));
  const idItem = dialog.locator('[data-test=p-id-item]');

  // 1. wrong check digit: refused on the client, message under 身份证号
  const seq = String(100 + Math.floor(Math.random() * 800));
  const good17 = '11010119850612' + seq;
  const wrong = good17 + (idCheck(good17) === '0' ? '1' : '0');
  await dialog.locator('input[data-test=p-id]').fill(wrong);
  await dialog.locator('[data-test=person-save]').click();
  await idItem.locator('.el-form-item__error', { hasText: '校验位' }).waitFor();

  // 2. right check digit but no such birth date: the server's field error, same place
  const bad17 = '11010119851332' + seq;
  const badDate = bad17 + idCheck(bad17);
  const server400 = page.waitForResponse((r) => r.url().endsWith('/api/people') && r.request().method() === 'POST');
  await dialog.locator('input[data-test=p-id]').fill(badDate);
  await dialog.locator('[data-test=person-save]').click();
  const r400 = await server400;
  assert.equal(r400.status(), 400);
  const err = (await r400.json()).error;
  assert.equal(err.field, 'id_number');
  const shown = idItem.locator('.el-form-item__error');
  await shown.waitFor();
  assert.equal((await shown.innerText()).trim(), err.message);
  assert.ok(await dialog.isVisible(), 'the dialog stays open');

  // 3. a valid number: saved
  const good = good17 + idCheck(good17);
  await dialog.locator('input[data-test=p-id]').fill(good);
  const created = page.waitForResponse((r) => r.url().endsWith('/api/people') && r.request().method() === 'POST');
  await dialog.locator('[data-test=person-save]').click();
  assert.equal((await created).status(), 201);
  await dialog.waitFor({ state: 'hidden' });

  // find it: masked identity number, never the full one
  await page.getByRole('button', { name: '重置' }).click();
  await page.locator('input[data-test=s-q]').fill(name);
  await page.locator('[data-test=s-submit]').click();
  const row = table.locator('.el-table__body-wrapper tr', { has: page.locator('[data-test=name]', { hasText: name }) });
  await row.waitFor();
  const masked = (await row.locator('[data-test=id-masked]').innerText()).trim();
  assert.equal(masked, good.slice(0, 6) + '********' + good.slice(14));
  assert.ok(!(await page.content()).includes(good), 'the full number is not on the page');
  const p = (await api.get('/api/people?q=' + encodeURIComponent(name))).json.items[0];
  assert.equal(p.id_number_masked, masked);
  assert.equal(p.kind, 'mediator');
  assert.equal(p.employment, 'part_time');

  // 查看完整身份证号 (admin holds person.unmask)
  await row.locator('[data-test=unmask]').click();
  const box = page.locator('.el-message-box', { hasText: '完整身份证号' });
  await box.waitFor();
  assert.match(await box.innerText(), new RegExp(good));
  await page.waitForTimeout(400); // the box's fade-in
  await page.screenshot({ path: join(OUT, 'people-unmask.png') });
  await box.getByRole('button', { name: '关闭', exact: true }).click();
  await box.waitFor({ state: 'hidden' });
  noProblems(problems());
  await context.close();
});

test('a mediator (no person.write, no person.unmask) sees no add, edit or unmask buttons', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'mediator', DEMO_PASSWORD);
  await page.goto(server.url + '/people');
  const c = new Client(server.url);
  await c.login('mediator');
  const n = (await c.get('/api/people?limit=1')).json.total;
  await page.waitForFunction((n) => document.querySelector('[data-test=pager] [data-test=total]')?.textContent === String(n), n);
  assert.equal(await page.locator('[data-test=person-add]').count(), 0);
  assert.equal(await page.locator('[data-test=unmask]').count(), 0);
  noProblems(problems());
  await context.close();
});
