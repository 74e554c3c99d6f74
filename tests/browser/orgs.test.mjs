// (3) Org page: create a village committee under a township through the dialog, find it in
// the tree, see kind-dependent fields, dissolve it and find it greyed with 「已撤销」.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client, DEMO_PASSWORD, launch, newPage, signIn, pick, noProblems, OUT } from './browser.mjs';

let server, browser, api, township;
before(async () => {
  server = await startServer();
  browser = await launch();
  api = new Client(server.url);
  assert.equal((await api.login('admin')).status, 200);
  const orgs = (await api.get('/api/orgs')).json.items;
  township = orgs.find((o) => o.level === 'township' && o.kind === 'judicial_office')
    || orgs.find((o) => o.level === 'township');
  assert.ok(township, 'the demo data has a township org');
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('create a village committee under a township, see it in the tree, dissolve it', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'admin', DEMO_PASSWORD);
  await page.goto(server.url + '/orgs');
  const tree = page.locator('[data-test=org-tree]');
  await tree.locator('.node').first().waitFor();

  // the search box filters the tree
  await page.locator('input[data-test=org-filter]').fill(township.name);
  const node = tree.locator(`.node[data-org-id="${township.id}"]`);
  await node.click();
  await page.locator('[data-test=detail-name]', { hasText: township.name }).waitFor();
  const visibleNames = await tree.locator('.el-tree-node:visible > .el-tree-node__content .node-name').allInnerTexts();
  assert.ok(visibleNames.includes(township.name));
  assert.ok(visibleNames.length < (await api.get('/api/orgs')).json.total, 'the filter hides other orgs');
  await page.locator('input[data-test=org-filter]').fill('');

  // 新增下级
  await page.locator('[data-test=org-add-child]').click();
  const dialog = page.locator('.el-dialog', { hasText: '新增下级组织' });
  await dialog.waitFor();
  const name = '浏览器测试村人民调解委员会' + Date.now() % 100000;

  // validation: an empty form is refused on the client
  await dialog.locator('[data-test=org-save]').click();
  await dialog.locator('.el-form-item__error', { hasText: '请输入名称' }).waitFor();

  // kind-dependent fields: a dispatched room needs a host, a committee may have a field
  await pick(page, dialog.locator('[data-test=f-kind]'), '派驻调解室');
  await dialog.locator('[data-test=f-host]').waitFor();
  assert.equal(await dialog.locator('[data-test=f-field]').count(), 0);
  await dialog.locator('input[data-test=f-name]').fill(name);
  await dialog.locator('[data-test=org-save]').click();
  await dialog.locator('.el-form-item__error', { hasText: '派驻调解室须选择派驻单位' }).waitFor();
  await pick(page, dialog.locator('[data-test=f-kind]'), '对接单位');
  await dialog.locator('[data-test=f-partner-type]').waitFor();
  assert.equal(await dialog.locator('[data-test=f-host]').count(), 0);
  await pick(page, dialog.locator('[data-test=f-kind]'), '人民调解委员会');
  await dialog.locator('[data-test=f-field]').waitFor();
  assert.equal(await dialog.locator('[data-test=f-partner-type]').count(), 0);

  await pick(page, dialog.locator('[data-test=f-level]'), '村');
  const region = (township.region_code || '130123101').slice(0, 9).padEnd(9, '0') + '298';
  await dialog.locator('input[data-test=f-region]').fill(region);
  await dialog.locator('[data-test=org-save]').click();
  await dialog.waitFor({ state: 'hidden' });

  // in the tree, selected, under the township
  const created = (await api.get('/api/orgs?q=' + encodeURIComponent(name))).json.items.find((o) => o.name === name);
  assert.ok(created, 'the API has the new org');
  assert.equal(created.parent_id, township.id);
  assert.equal(created.kind, 'committee');
  assert.equal(created.level, 'village');
  assert.equal(created.region_code, region);
  const newNode = tree.locator(`.node[data-org-id="${created.id}"]`);
  await newNode.waitFor();
  assert.equal((await newNode.locator('.node-name').innerText()).trim(), name);
  // nested under the township's tree node
  const parentOfNew = tree.locator('.el-tree-node', { has: page.locator(`.node[data-org-id="${township.id}"]`) })
    .locator(`.node[data-org-id="${created.id}"]`);
  assert.equal(await parentOfNew.count(), 1);
  assert.equal((await page.locator('[data-test=detail-name]').innerText()).trim(), name);
  assert.equal((await page.locator('[data-test=detail-kind]').innerText()).trim(), '人民调解委员会');
  await page.screenshot({ path: join(OUT, 'orgs-created.png') });

  // 撤销: gone from the tree, back greyed with 「已撤销」 when 显示已撤销 is checked
  await page.locator('[data-test=org-dissolve]').click();
  const dd = page.locator('.el-dialog', { hasText: '撤销组织' });
  await dd.getByRole('button', { name: '确定撤销' }).click();
  await dd.waitFor({ state: 'hidden' });
  await newNode.waitFor({ state: 'detached' });
  await page.locator('[data-test=show-dissolved]').click();
  const dissolved = tree.locator(`.node[data-org-id="${created.id}"]`);
  await dissolved.waitFor();
  assert.match(await dissolved.innerText(), /已撤销/);
  assert.ok((await dissolved.getAttribute('class')).includes('dissolved'));
  const after = (await api.get(`/api/orgs/${created.id}`)).json;
  assert.ok(after.dissolved_on, 'dissolved_on is set');
  noProblems(problems());
  await context.close();
});

test('a partner sees the tree but no write buttons', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'partner', DEMO_PASSWORD);
  await page.goto(server.url + '/orgs');
  await page.locator('[data-test=org-tree] .node').first().waitFor();
  await page.locator('[data-test=detail-name]').waitFor();
  assert.equal(await page.locator('[data-test=org-add-child]').count(), 0);
  assert.equal(await page.locator('[data-test=org-edit]').count(), 0);
  noProblems(problems());
  await context.close();
});
