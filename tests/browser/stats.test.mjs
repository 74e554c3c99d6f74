// (stats) 案件统计 (/cases/stats) against GET /api/stats/cases on the demo database: the
// county bureau opens it from the menu and sees the API's total, period and type × status
// cells; last year and a township org give the API's figures for those parameters; an API
// refusal shows its message and keeps the last result; a township user sees their subtree;
// the page fits a 390-px phone. Screenshots to tests/out/cases-stats*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client, DEMO_PASSWORD, launch, newPage, signIn, pickTree, noProblems, OUT } from './browser.mjs';

let server, browser, bureau;
const TOWNSHIP = '青山县新塘乡司法所';

before(async () => {
  server = await startServer();
  browser = await launch();
  bureau = new Client(server.url);
  assert.equal((await bureau.login('bureau')).status, 200);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const qs = (o) => new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)).toString();
async function statsOf(client, params = {}) {
  const r = await client.get('/api/stats/cases' + (Object.keys(params).length ? '?' + qs(params) : ''));
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const text = async (loc) => (await loc.innerText()).trim();

/** Waits until the summary shows this total (the page's data has arrived). */
async function waitTotal(page, total) {
  await page.waitForFunction((t) => document.querySelector('[data-test=cs-total]')?.textContent.trim() === String(t), total);
}

/** Opens 案件统计 from the sidebar; resolves to the query of the page's first request. */
async function openFromMenu(page) {
  const req = page.waitForRequest((r) => r.url().includes('/api/stats/cases'));
  await page.locator('[data-test=side-menu] .el-menu-item', { hasText: '案件统计' }).click();
  await page.waitForURL(/\/cases\/stats$/);
  return Object.fromEntries(new URL((await req).url()).searchParams);
}

/** Submits the form; resolves to the query sent and the response's status. */
async function submit(page) {
  const resp = page.waitForResponse((r) => r.url().includes('/api/stats/cases'));
  await page.locator('[data-test=cs-submit]').click();
  const r = await resp;
  return { query: Object.fromEntries(new URL(r.url()).searchParams), status: r.status() };
}

/** Types a period into the date-range picker (start and end inputs). */
async function setPeriod(page, from, to) {
  const inputs = page.locator('[data-test=cs-form] .el-range-input');
  await inputs.nth(0).click();
  await inputs.nth(0).fill(from);
  await inputs.nth(1).fill(to);
  await inputs.nth(1).press('Enter');
  await page.keyboard.press('Escape');
  await page.waitForFunction(([f, t]) => {
    const v = [...document.querySelectorAll('[data-test=cs-form] .el-range-input')].map((i) => i.value);
    return v[0] === f && v[1] === t;
  }, [from, to]);
}

/** The table shows what the API says: every cell of `cells`, row totals, the 合计 row. */
async function checkTable(page, s, { minCells = 2 } = {}) {
  const table = page.locator('[data-test=cs-table]');
  const cell = (type, status) => table.locator(`.el-table__body-wrapper [data-test="cell-${type}-${status}"]`);
  // column headers: the statuses present, with the API's labels
  const headers = (await table.locator('.el-table__header-wrapper th').allInnerTexts()).map((t) => t.trim());
  for (const b of s.by_status) assert.ok(headers.includes(b.label), `column ${b.label} in ${headers}`);
  assert.equal(headers.at(-1), '合计');
  // one row per dispute type plus 合计
  const labels = (await table.locator('.el-table__body-wrapper [data-test=cs-row-label]').allInnerTexts()).map((t) => t.trim());
  assert.deepEqual([...labels].sort(), [...s.by_type.map((b) => b.label), '合计'].sort());
  assert.equal(labels.at(-1), '合计');
  // the largest cells, and a zero cell when there is one
  const big = [...s.cells].sort((a, b) => b.count - a.count).slice(0, Math.max(minCells, 3));
  assert.ok(big.length >= minCells, 'the API gave enough cells to compare');
  for (const c of big) assert.equal(await text(cell(c.dispute_type, c.status)), String(c.count), `${c.dispute_type}/${c.status}`);
  const has = new Set(s.cells.map((c) => c.dispute_type + '/' + c.status));
  const zero = s.by_type.flatMap((t) => s.by_status.map((b) => [t.key, b.key])).find(([t, b]) => !has.has(t + '/' + b));
  if (zero) assert.equal(await text(cell(zero[0], zero[1])), '0');
  // row totals, column totals and the grand total
  for (const t of s.by_type.slice(0, 3)) assert.equal(await text(cell(t.key, 'total')), String(t.count));
  for (const b of s.by_status.slice(0, 3)) assert.equal(await text(cell('sum', b.key)), String(b.count));
  assert.equal(await text(cell('sum', 'total')), String(s.total));
}

async function noHorizontalOverflow(page) {
  const o = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,
    main: document.querySelector('.el-main')?.scrollWidth, mainW: document.querySelector('.el-main')?.clientWidth, vw: window.innerWidth,
  }));
  assert.ok(o.doc <= o.vw && o.body <= o.vw && o.main <= o.mainW, `no horizontal overflow: ${JSON.stringify(o)}`);
}

/** A screenshot of the whole page (the layout scrolls inside el-main). */
async function shoot(page, name) {
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 6000 }).catch(() => undefined);
  const vp = page.viewportSize();
  const h = await page.evaluate(() => {
    const m = document.querySelector('.el-main');
    return m ? m.scrollHeight + m.getBoundingClientRect().top : document.documentElement.scrollHeight;
  });
  await page.setViewportSize({ width: vp.width, height: Math.min(Math.max(vp.height, Math.ceil(h)), 6000) });
  await page.waitForTimeout(700); // charts resize and animate
  await page.screenshot({ path: join(OUT, name) });
  await page.setViewportSize(vp);
}

test('bureau: the page shows the API figures; last year and a township give the API figures too', async () => {
  const now = await statsOf(bureau); // default: own org, this year up to today
  assert.equal(now.org.id, bureau.user.org_id);
  assert.ok(now.total > 0 && now.cells.length >= 2, 'the demo county has cases this year');

  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'bureau', DEMO_PASSWORD);
  const sent = await openFromMenu(page);
  // the form's defaults: the bureau itself, 1 January up to today
  assert.deepEqual(sent, { org_id: String(bureau.user.org_id), from: now.from, to: now.to });
  await waitTotal(page, now.total);
  assert.equal(await text(page.locator('[data-test=cs-org-name]')), now.org.name);
  assert.equal(await text(page.locator('[data-test=cs-period]')), `${now.from} 至 ${now.to}`);
  assert.match(await text(page.locator('[data-test=cs-form] [data-test=cs-org]')), new RegExp(now.org.name));
  await checkTable(page, now);
  assert.equal(await page.locator('[data-test=cs-type-chart] canvas').count(), 1);
  assert.equal(await page.locator('[data-test=cs-status-chart] canvas').count(), 1);
  await shoot(page, 'cases-stats.png');

  // last year, a full year
  const year = Number(now.to.slice(0, 4)) - 1;
  const last = await statsOf(bureau, { from: `${year}-01-01`, to: `${year}-12-31` });
  assert.notEqual(last.total, now.total);
  await setPeriod(page, `${year}-01-01`, `${year}-12-31`);
  let r = await submit(page);
  assert.equal(r.status, 200);
  assert.equal(r.query.from, `${year}-01-01`);
  assert.equal(r.query.to, `${year}-12-31`);
  await waitTotal(page, last.total);
  assert.equal(await text(page.locator('[data-test=cs-period]')), `${year}-01-01 至 ${year}-12-31`);
  await checkTable(page, last);

  // a township (司法所) in the tree-select: its subtree, still last year
  const orgs = (await bureau.get('/api/orgs')).json.items;
  const town = orgs.find((o) => o.name === TOWNSHIP);
  assert.ok(town, TOWNSHIP + ' in /api/orgs');
  const townStats = await statsOf(bureau, { org_id: town.id, from: `${year}-01-01`, to: `${year}-12-31` });
  assert.ok(townStats.total > 0 && townStats.total < last.total);
  await pickTree(page, page.locator('[data-test=cs-form] [data-test=cs-org]'), TOWNSHIP);
  r = await submit(page);
  assert.equal(r.query.org_id, String(town.id));
  await waitTotal(page, townStats.total);
  assert.equal(await text(page.locator('[data-test=cs-org-name]')), TOWNSHIP);
  await checkTable(page, townStats);
  await shoot(page, 'cases-stats-township.png');

  // an API refusal (here: the request altered on its way to a period that ends before it
  // starts) shows the API's message and keeps the last result on screen
  const bad = await bureau.get(`/api/stats/cases?from=${year}-12-31&to=${year}-01-01`);
  assert.equal(bad.status, 400);
  await page.route('**/api/stats/cases?*', (route) => {
    const u = new URL(route.request().url());
    u.searchParams.set('from', `${year}-12-31`);
    u.searchParams.set('to', `${year}-01-01`);
    return route.continue({ url: u.toString() });
  });
  r = await submit(page);
  assert.equal(r.status, 400);
  const msg = page.locator('.el-message--error', { hasText: bad.json.error.message });
  await msg.waitFor();
  await page.unroute('**/api/stats/cases?*');
  assert.equal(await text(page.locator('[data-test=cs-total]')), String(townStats.total));
  assert.equal(await text(page.locator('[data-test=cs-org-name]')), TOWNSHIP);

  // 重置: the bureau and this year again
  const reset = page.waitForResponse((x) => x.url().includes('/api/stats/cases'));
  await page.locator('[data-test=cs-reset]').click();
  assert.deepEqual(Object.fromEntries(new URL((await reset).url()).searchParams),
    { org_id: String(bureau.user.org_id), from: now.from, to: now.to });
  await waitTotal(page, now.total);

  // the browser reports the 400 as a failed resource load only (filtered by newPage)
  noProblems(problems());
  await context.close();
});

test('office (a township user) sees only the total of their subtree', async () => {
  const office = new Client(server.url);
  assert.equal((await office.login('office')).status, 200);
  const mine = await statsOf(office);
  const county = await statsOf(bureau);
  assert.equal(mine.org.id, office.user.org_id);
  // the same figure as the bureau gets when it asks for that township
  assert.equal((await statsOf(bureau, { org_id: office.user.org_id })).total, mine.total);
  assert.ok(mine.total < county.total);

  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'office', DEMO_PASSWORD);
  const sent = await openFromMenu(page);
  assert.equal(sent.org_id, String(office.user.org_id));
  await waitTotal(page, mine.total);
  assert.equal(await text(page.locator('[data-test=cs-org-name]')), office.user.org_name);
  await checkTable(page, mine);

  // the tree-select offers the township's subtree only: no county bureau, no other township
  await page.locator('[data-test=cs-form] [data-test=cs-org]').click();
  const nodes = page.locator('.el-select-dropdown:visible .el-tree-node__content');
  await nodes.first().waitFor();
  const names = (await nodes.allInnerTexts()).map((t) => t.trim());
  assert.equal(names[0], office.user.org_name);
  assert.ok(!names.includes(county.org.name) && !names.includes(TOWNSHIP), names.join(','));
  await page.keyboard.press('Escape');
  noProblems(problems());
  await context.close();
});

test('phone: the page fits 390 px; the table scrolls inside itself', async () => {
  const now = await statsOf(bureau);
  const { page, context, problems } = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signIn(page, server.url, 'bureau', DEMO_PASSWORD);
  await page.goto(server.url + '/cases/stats');
  await waitTotal(page, now.total);
  await page.locator('[data-test=cs-status-chart] canvas').waitFor();
  await noHorizontalOverflow(page);
  const t = await page.evaluate(() => {
    const w = document.querySelector('[data-test=cs-table] .el-table__body-wrapper .el-scrollbar__wrap')
      || document.querySelector('[data-test=cs-table] .el-table__body-wrapper');
    const box = document.querySelector('[data-test=cs-table]').getBoundingClientRect();
    return { scroll: w.scrollWidth, client: w.clientWidth, right: box.right, vw: window.innerWidth };
  });
  assert.ok(t.scroll > t.client, `the table is wider than the phone and scrolls: ${JSON.stringify(t)}`);
  assert.ok(t.right <= t.vw, `the table itself stays within the screen: ${JSON.stringify(t)}`);
  await page.waitForTimeout(700);
  await page.screenshot({ path: join(OUT, 'cases-stats-phone.png') });
  await shoot(page, 'cases-stats-phone-full.png');
  noProblems(problems());
  await context.close();
});
