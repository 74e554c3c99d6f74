// (cases) 案件管理 through the UI: the demo mediator registers a dispute (client-side
// identity-number check, a server field error under the exact party item), then accepts it,
// assigns a suggested mediator, records a session, reaches a written agreement, uploads a
// material, closes, visits (satisfaction 5) and archives — asserting the status tag and the
// timeline at each step — and finds it again by a two-character search. An auditor sees the
// detail without any action buttons; a 409 shows in the dialog; the detail page fits a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client, DEMO_PASSWORD, launch, newPage, signIn, pick, noProblems, idCheck, OUT } from './browser.mjs';

let server, browser, api, dicts;
let caseId = null; // the case registered through the UI
const TITLE = '张三与李四彩礼返还纠纷';

before(async () => {
  server = await startServer();
  browser = await launch();
  api = new Client(server.url);
  assert.equal((await api.login('mediator')).status, 200);
  dicts = (await api.get('/api/dicts')).json;
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const label = (dict, v) => dicts[dict].find((i) => i.value === v).label;

// A 1×1 PNG for the upload.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082',
  'hex',
);

/** The status tag of the detail page's header shows `text`. */
async function expectStatus(page, text) {
  const tag = page.locator('[data-test=case-head] [data-test=status-tag]');
  await page.waitForFunction(
    (t) => document.querySelector('[data-test=case-head] [data-test=status-tag]')?.textContent.trim() === t, text);
  assert.equal((await tag.innerText()).trim(), text);
}

/** The timeline (办理过程 tab) has an entry with this label, and its summary matches `summary`. */
async function expectTimeline(page, entryLabel, summary) {
  const item = page.locator('[data-test=timeline-item]').filter({
    has: page.locator('[data-test=tl-label]', { hasText: new RegExp('^' + entryLabel + '$') }),
  });
  await item.first().waitFor();
  if (summary) assert.match(await item.last().locator('[data-test=tl-summary]').innerText(), summary);
}

/** Clicks an action button, fills its dialog, confirms; waits for the dialog to close. */
async function act(page, event, fill) {
  await page.locator(`[data-test=case-actions] [data-test=ev-${event}]`).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  if (fill) await fill(dialog);
  const resp = page.waitForResponse((r) => r.url().includes(`/events/${event}`) && r.request().method() === 'POST');
  await dialog.locator('[data-test=ev-submit]').click();
  const r = await resp;
  assert.equal(r.status(), 200, `${event}: ${await r.text()}`);
  await dialog.waitFor({ state: 'hidden' });
  return r.request().postDataJSON();
}

/**
 * A screenshot of the whole page: the layout scrolls inside el-main (100vh), so the window
 * is made as tall as the content for the shot and restored afterwards.
 */
async function shoot(page, name) {
  // no toasts of earlier steps over the page
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 5000 }).catch(() => undefined);
  const vp = page.viewportSize();
  const h = await page.evaluate(() => {
    const m = document.querySelector('.el-main');
    return m ? m.scrollHeight + m.getBoundingClientRect().top : document.documentElement.scrollHeight;
  });
  await page.setViewportSize({ width: vp.width, height: Math.min(Math.max(vp.height, Math.ceil(h)), 6000) });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, name) });
  await page.setViewportSize(vp);
}

/** The action buttons shown, as event names. */
async function actionButtons(page) {
  return page.locator('[data-test=case-actions] [data-test^=ev-]').evaluateAll(
    (els) => els.map((e) => e.getAttribute('data-test').slice(3)));
}

test('mediator: register, accept, assign, record, agree, upload, close, visit, archive — all through the UI', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'mediator', DEMO_PASSWORD);

  // the menu group sits between 首页 and 组织队伍 and leads to the form
  const menu = page.locator('[data-test=side-menu]');
  const groups = (await menu.locator('.el-sub-menu__title').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(groups.slice(0, 2), ['案件管理', '组织队伍']);
  await menu.locator('.el-menu-item', { hasText: '纠纷登记' }).click();
  await page.waitForURL(/\/cases\/new$/);
  const form = page.locator('[data-test=case-form]');
  await form.waitFor();

  // 纠纷信息
  await form.locator('input[data-test=f-title]').fill(TITLE);
  await pick(page, form.locator('[data-test=f-type]'), label('dispute_type', 'marriage_family'));
  await form.locator('[data-test=f-flags] .el-checkbox', { hasText: label('case_flag', 'petition') }).click();
  await form.locator('textarea[data-test=f-facts]').fill('双方于2026年3月订婚，张三给付彩礼八万元；同年9月李四提出解除婚约，双方就彩礼返还发生争议。');
  await form.locator('textarea[data-test=f-claims]').fill('要求返还彩礼八万元');
  await form.locator('input[data-test=f-amount]').fill('80000.50');
  await form.locator('[data-test=f-people] input, input[data-test=f-people]').first().fill('2');
  await form.locator('input[data-test=f-place]').fill('东关社区');
  // 受理机构 defaults to the mediator's own committee
  assert.match(await form.locator('[data-test=f-org]').innerText().catch(() => ''), /东关社区/);

  // 当事人: two by default, applicant and respondent
  const p0 = form.locator('[data-test=party-0]');
  const p1 = form.locator('[data-test=party-1]');
  await p0.locator('input[data-test=pt-name]').fill('张三');
  await p1.locator('input[data-test=pt-name]').fill('李四');

  // 1. an identity number with a wrong check digit: refused on the client, under 身份证号
  await p0.locator('input[data-test=pt-id]').fill('110105194912310021');
  await page.locator('[data-test=case-submit]').click();
  await p0.locator('[data-test=pt-id-item] .el-form-item__error', { hasText: '校验位' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/cases/new');

  // 2. a valid number; a phone the client lets through but the server refuses: its message
  //    appears under the 联系电话 of the second party (field "parties[1].phone")
  await p0.locator('input[data-test=pt-id]').fill('11010519491231002X');
  await p0.locator('input[data-test=pt-phone]').fill('13800138000');
  await p1.locator('input[data-test=pt-phone]').fill('12345');
  let post = page.waitForResponse((r) => r.url().endsWith('/api/cases') && r.request().method() === 'POST');
  await page.locator('[data-test=case-submit]').click();
  const r400 = await post;
  assert.equal(r400.status(), 400);
  const err = (await r400.json()).error;
  assert.equal(err.field, 'parties[1].phone');
  const phoneErr = p1.locator('[data-test=pt-phone-item] .el-form-item__error');
  await phoneErr.waitFor();
  assert.equal((await phoneErr.innerText()).trim(), err.message);
  assert.equal(await p0.locator('[data-test=pt-phone-item] .el-form-item__error').count(), 0);
  // the identity number gave the sex: 女 (17th digit even)
  assert.match(await p0.locator('[data-test=pt-sex]').innerText(), /女/);

  await p1.locator('input[data-test=pt-phone]').fill('13900139000');
  await shoot(page, 'cases-register.png');
  post = page.waitForResponse((r) => r.url().endsWith('/api/cases') && r.request().method() === 'POST');
  await page.locator('[data-test=case-submit]').click();
  const r201 = await post;
  assert.equal(r201.status(), 201, await r201.text());
  const sent = r201.request().postDataJSON();
  assert.equal(sent.amount, 8000050, 'yuan 80000.50 → 8000050 fen');
  assert.equal(sent.people_involved, 2);
  assert.deepEqual(sent.flags, ['petition']);
  assert.equal(sent.parties.length, 2);
  assert.equal(sent.parties[0].id_number, '11010519491231002X');
  caseId = (await r201.json()).id;
  await page.waitForURL(new RegExp(`/cases/${caseId}$`));

  // detail: header, masked identity number, timeline
  await expectStatus(page, label('case_status', 'registered'));
  assert.equal((await page.locator('[data-test=case-title]').innerText()).trim(), TITLE);
  await page.locator('.el-tabs__item', { hasText: '当事人' }).click();
  assert.equal((await page.locator('[data-test=parties-table] [data-test=party-id]').first().innerText()).trim(), '110105********002X');
  assert.ok(!(await page.content()).includes('11010519491231002X'), 'the full number is not on the page');
  await page.locator('.el-tabs__item', { hasText: '办理过程' }).click();
  await expectTimeline(page, '登记', /登记案件/);
  const detail0 = (await api.get(`/api/cases/${caseId}`)).json;
  assert.deepEqual((await actionButtons(page)).sort(), [...detail0.allowed_events].sort(), 'buttons = allowed_events');

  // 受理
  await act(page, 'accept');
  await expectStatus(page, label('case_status', 'accepted'));
  await expectTimeline(page, '受理', /调解期限至/);

  // 指派调解员: from the ranked suggestions
  let chosen;
  await act(page, 'assign', async (dialog) => {
    const rows = dialog.locator('[data-test=suggest-table] .el-table__body-wrapper tr');
    await rows.first().waitFor();
    const suggested = (await api.get(`/api/cases/${caseId}/suggest-mediators`)).json.items;
    assert.equal(await rows.count(), suggested.length);
    chosen = suggested[0];
    assert.equal((await rows.first().locator('[data-test=suggest-name]').innerText()).trim(), chosen.name);
    assert.equal((await rows.first().locator('[data-test=suggest-open]').innerText()).trim(), String(chosen.open_cases));
    await rows.first().locator('[data-test=suggest-lead]').click();
    await page.waitForTimeout(300); // the dialog's fade-in
    await page.screenshot({ path: join(OUT, 'cases-assign.png') });
  });
  await expectTimeline(page, '指派调解员', new RegExp(chosen.name));
  await expectStatus(page, label('case_status', 'accepted')); // assigning does not start mediation

  // 记录调解
  await act(page, 'record_session', async (dialog) => {
    await dialog.locator('input[data-test=ev-place]').fill('东关社区调解室');
    await dialog.locator('input[data-test=ev-participants]').fill('张三、李四、' + chosen.name);
    await dialog.locator('textarea[data-test=ev-content]').fill('调解员释明《民法典》关于彩礼返还的规定，双方同意协商返还数额。');
  });
  await expectStatus(page, label('case_status', 'mediating'));
  await expectTimeline(page, '记录调解', /东关社区调解室/);

  // 达成协议: written, with a payment of 50,000.00 yuan
  const agreed = await act(page, 'agree', async (dialog) => {
    await dialog.locator('textarea[data-test=ev-terms]').fill('李四于2026年12月31日前返还张三彩礼人民币五万元整。');
    await dialog.locator('.el-switch').click();
    await dialog.locator('input[data-test=ev-amount]').fill('50000');
  });
  assert.equal(agreed.form, 'written');
  assert.equal(agreed.amount, 5000000);
  await expectStatus(page, label('case_status', 'agreed'));
  await expectTimeline(page, '达成协议', /书面/);

  // 材料: upload a signed agreement (raw body + X-Filename, then attach)
  await page.locator('.el-tabs__item', { hasText: '材料' }).click();
  const att = page.locator('[data-test=attachment-form]');
  await pick(page, att.locator('[data-test=att-kind]'), label('attachment_kind', 'signed_agreement'));
  await att.locator('input[data-test=att-file]').setInputFiles({ name: '调解协议书.png', mimeType: 'image/png', buffer: PNG });
  await att.locator('input[data-test=att-title]').fill('签字的调解协议书');
  const attached = page.waitForResponse((r) => r.url().endsWith(`/api/cases/${caseId}/attachments`));
  await att.locator('[data-test=att-submit]').click();
  assert.equal((await attached).status(), 200);
  const link = page.locator('[data-test=attachments-table] [data-test=attachment-link]', { hasText: '签字的调解协议书' });
  await link.waitFor();
  const file = await page.request.get(server.url + (await link.getAttribute('href')));
  assert.equal(file.status(), 200);
  assert.deepEqual(Buffer.from(await file.body()), PNG);
  const files = (await api.get(`/api/cases/${caseId}`)).json.attachments;
  assert.equal(files[0].file_name, '调解协议书.png');
  await page.locator('.el-tabs__item', { hasText: '办理过程' }).click();

  // 结案
  await act(page, 'close');
  await expectStatus(page, label('case_status', 'closed'));
  await expectTimeline(page, '结案', /回访期限至/);

  // 回访 with satisfaction 5
  const visit = await act(page, 'follow_up', async (dialog) => {
    await pick(page, dialog.locator('[data-test=ev-method]'), label('follow_up_method', 'phone'));
    await dialog.locator('textarea[data-test=ev-content]').fill('李四已按协议返还五万元，双方无异议。');
    await dialog.locator('.el-rate__item').nth(4).click();
  });
  assert.equal(visit.satisfaction, 5);
  assert.equal(visit.method, 'phone');
  await expectTimeline(page, '回访', /回访/);
  await page.locator('.el-tabs__item', { hasText: '回访' }).click();
  await page.locator('[data-test=follow-ups-table] [data-test=satisfaction-5]').waitFor();
  await page.locator('.el-tabs__item', { hasText: '办理过程' }).click();

  // 归档: no action left
  await act(page, 'archive');
  await expectStatus(page, label('case_status', 'archived'));
  await expectTimeline(page, '归档');
  assert.deepEqual(await actionButtons(page), []);
  const labels = (await page.locator('[data-test=timeline-item] [data-test=tl-label]').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(labels, ['登记', '受理', '指派调解员', '记录调解', '达成协议', '添加材料', '结案', '回访', '归档']);
  await shoot(page, 'cases-detail.png');

  const final = (await api.get(`/api/cases/${caseId}`)).json;
  assert.equal(final.status, 'archived');
  assert.equal(final.follow_ups[0].satisfaction, 5);
  assert.equal(final.mediators[0].person_id, chosen.id);

  // 案件查询: found by a two-character search
  await page.locator('[data-test=side-menu] .el-menu-item', { hasText: '案件查询' }).click();
  await page.waitForURL(/\/cases$/);
  const table = page.locator('[data-test=case-table]');
  await table.locator('.el-table__body-wrapper tr').first().waitFor();
  await page.locator('input[data-test=s-q]').fill('彩礼');
  const searched = page.waitForResponse((r) => r.url().includes('/api/cases?') && r.url().includes('q=' + encodeURIComponent('彩礼')));
  await page.locator('[data-test=s-submit]').click();
  await searched;
  const hit = table.locator('.el-table__body-wrapper tr', { has: page.locator('[data-test=case-title]', { hasText: TITLE }) });
  await hit.waitFor();
  // the demo county has thousands of cases, some about 彩礼 too: the pager shows the API's total
  const expected = String((await api.get('/api/cases?limit=1&q=' + encodeURIComponent('彩礼'))).json.total);
  await page.waitForFunction((t) => document.querySelector('[data-test=pager] [data-test=total]')?.textContent === t, expected);
  assert.equal((await hit.locator('[data-test=status-tag]').innerText()).trim(), label('case_status', 'archived'));
  assert.match(await hit.innerText(), /¥80,000\.50/);
  assert.match(await hit.innerText(), new RegExp(final.case_no.replace(/[()（）]/g, '.')));
  await shoot(page, 'cases-list.png');
  // a row opens the detail
  await hit.locator('[data-test=case-title]').click();
  await page.waitForURL(new RegExp(`/cases/${caseId}$`));
  noProblems(problems());
  await context.close();
});

test('a state refusal (409) is shown in the dialog', async () => {
  const c = (await api.post('/api/cases', {
    title: '王五与赵六宅基地边界纠纷', source: 'screening', dispute_type: 'housing_homestead', facts: '宅基地边界争议。',
    parties: [{ role: 'applicant', name: '王五' }, { role: 'respondent', name: '赵六' }],
  })).json;
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'mediator', DEMO_PASSWORD);
  await page.goto(`${server.url}/cases/${c.id}`);
  await expectStatus(page, label('case_status', 'registered'));
  await page.locator('[data-test=case-actions] [data-test=ev-accept]').click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  // meanwhile someone else accepts it
  assert.equal((await api.post(`/api/cases/${c.id}/events/accept`, {})).status, 200);
  await dialog.locator('[data-test=ev-submit]').click();
  const msg = dialog.locator('[data-test=event-error]');
  await msg.waitFor();
  assert.match(await msg.innerText(), new RegExp(label('case_status', 'accepted')));
  assert.ok(await dialog.isVisible(), 'the dialog stays open');
  noProblems(problems());
  await context.close();
});

test('an auditor sees the case without any action buttons', async () => {
  assert.ok(caseId, 'the first test registered a case');
  const open = (await api.get('/api/cases?status=accepted')).json.items[0];
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'auditor', DEMO_PASSWORD);
  const items = (await page.locator('[data-test=side-menu] .el-menu-item').allInnerTexts()).map((s) => s.trim());
  assert.ok(items.includes('案件查询') && items.includes('我的待办') && !items.includes('纠纷登记'));
  for (const id of [caseId, open.id]) {
    await page.goto(`${server.url}/cases/${id}`);
    await page.locator('[data-test=case-head] [data-test=status-tag]').waitFor();
    assert.equal((await page.locator('[data-test=case-title]').innerText()).trim(), (await api.get(`/api/cases/${id}`)).json.title);
    assert.equal(await page.locator('[data-test=case-actions]').count(), 0);
    assert.equal(await page.locator('[data-test^=ev-]').count(), 0);
    assert.equal(await page.locator('[data-test=recuse]').count(), 0);
    assert.equal(await page.locator('[data-test=attachment-form]').count(), 0);
  }
  // the open case says why
  assert.match(await page.locator('[data-test=case-readonly]').innerText(), /只能查看/);
  noProblems(problems());
  await context.close();
});

test('phone: the detail page does not overflow; 我的待办 and 仅看逾期 show an overdue case', async () => {
  const { page, context, problems } = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signIn(page, server.url, 'mediator', DEMO_PASSWORD);
  await page.goto(`${server.url}/cases/${caseId}`);
  await page.locator('[data-test=case-head] [data-test=status-tag]').waitFor();
  await page.locator('[data-test=case-info]').waitFor();
  const overflow = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, vw: window.innerWidth,
  }));
  assert.ok(overflow.doc <= overflow.vw && overflow.body <= overflow.vw, `no horizontal overflow: ${JSON.stringify(overflow)}`);
  await page.screenshot({ path: join(OUT, 'cases-detail-phone.png') });
  await shoot(page, 'cases-detail-phone-full.png');

  // 我的待办 (org scope shows the org's awaiting cases; the counts are the API's)
  assert.equal((await api.post('/api/cases', {
    title: '孙七与周八邻里通道纠纷', source: 'walk_in', dispute_type: 'neighbour', facts: '通道通行争议。',
    parties: [{ role: 'applicant', name: '孙七' }, { role: 'respondent', name: '周八' }],
  })).status, 201);
  // and one accepted 40 days ago: its mediation period (1 month) is overdue
  const late = (await api.post('/api/cases', {
    title: '吴九与郑十欠薪纠纷', source: 'walk_in', dispute_type: 'wage_arrears', facts: '拖欠工资。',
    parties: [{ role: 'applicant', name: '吴九' }, { role: 'respondent', name: '郑十' }],
  })).json;
  const today = (await api.get('/api/todo')).json.today;
  const d = new Date(today + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() - 40);
  assert.equal((await api.post(`/api/cases/${late.id}/events/accept`, { accepted_on: d.toISOString().slice(0, 10) })).status, 200);

  await page.goto(`${server.url}/todo`);
  const todo = (await api.get('/api/todo?scope=org')).json;
  assert.ok(todo.counts.overdue >= 1);
  await page.locator('[data-test=todo-deadlines], [data-test=todo-deadlines-empty]').first().waitFor();
  const toOrg = page.waitForResponse((r) => r.url().includes('/api/todo?scope=org'));
  await page.locator('[data-test=todo-scope]').click();
  await toOrg;
  for (const k of ['overdue', 'due_today', 'due_soon']) {
    await page.waitForFunction(([k, n]) => document.querySelector(`[data-test=todo-${k}] [data-test=count]`)?.textContent.trim() === String(n), [k, todo.counts[k]]);
  }
  assert.ok(todo.awaiting_acceptance.length >= 1);
  await page.locator('[data-test=todo-awaiting] .el-table__body-wrapper tr', { hasText: '孙七与周八邻里通道纠纷' }).waitFor();
  assert.equal(await page.locator('[data-test=todo-awaiting] .el-table__body-wrapper tr').count(), todo.awaiting_acceptance.length);
  assert.equal(todo.awaiting_total, todo.awaiting_acceptance.length);
  assert.match(await page.locator('.card-title', { hasText: '待受理' }).innerText(), new RegExp(`（${todo.awaiting_total}）`));
  // everything is listed: no "first N of M" note
  assert.equal(await page.locator('[data-test=todo-deadlines-more], [data-test=todo-awaiting-more]').count(), 0);
  const lateRow = page.locator('[data-test=todo-deadlines] .el-table__body-wrapper tr', { hasText: late.case_no });
  const dl = todo.deadlines.find((x) => x.id === late.id);
  assert.equal((await lateRow.locator('[data-test=days-left]').innerText()).trim(), `逾期${-dl.days_left}天`);
  assert.match(await lateRow.locator('[data-test=days-left]').getAttribute('class'), /late/);
  assert.equal((await lateRow.locator('[data-test=deadline-state]').innerText()).trim(), dl.state_label);
  await page.screenshot({ path: join(OUT, 'cases-todo-phone.png') });

  // 案件查询 仅看逾期 (preset from the address): the red 逾期 tag
  await page.goto(`${server.url}/cases?overdue=1`);
  const row = page.locator('[data-test=case-table] .el-table__body-wrapper tr', { hasText: late.title });
  await row.waitFor();
  assert.equal(await row.locator('[data-test=overdue-tag]').count(), 1);
  await page.waitForFunction((n) => document.querySelector('[data-test=pager] [data-test=total]')?.textContent === String(n),
    (await api.get('/api/cases?overdue=1')).json.total);
  noProblems(problems());
  await context.close();
});

test('to-do page: a list longer than it shows says so, and the header counts them all', async () => {
  const api = new Client(server.url);
  assert.equal((await api.login('office')).status, 200);
  let todo = (await api.get('/api/todo?scope=org')).json;
  for (let i = todo.awaiting_total; i <= 200; i++) {
    const r = await api.post('/api/cases', {
      title: `批量登记邻里纠纷${i}`, source: 'walk_in', dispute_type: 'neighbour', facts: '通道通行争议。',
      parties: [{ role: 'applicant', name: '赵甲' }, { role: 'respondent', name: '钱乙' }],
    });
    assert.equal(r.status, 201);
  }
  todo = (await api.get('/api/todo?scope=org')).json;
  assert.ok(todo.awaiting_total > 200, `${todo.awaiting_total} awaiting`);
  assert.equal(todo.awaiting_acceptance.length, 200);

  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'office', DEMO_PASSWORD);
  await page.goto(`${server.url}/todo`);
  const more = page.locator('[data-test=todo-awaiting-more]');
  await more.waitFor();
  assert.equal((await more.innerText()).trim(), '列出登记最早的 200 件');
  assert.match(await page.locator('.card-title', { hasText: '待受理' }).innerText(), new RegExp(`（${todo.awaiting_total}）`));
  assert.equal(await page.locator('[data-test=todo-awaiting] .el-table__body-wrapper tr').count(), 200);
  await page.locator('[data-test=todo-awaiting-more]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT, 'cases-todo-long.png') });
  noProblems(problems());
  await context.close();
});
