// (referrals) 对接移送 through the UI: the police clerk (partner, 城关派出所) refers a neighbour
// dispute to 城关镇东关社区人民调解委员会 with the parties' written consent attached; the
// station's lead (partner_lead) approves it from the approval queue; the community committee's
// mediator sees it in the inbox with the 3-day countdown, signs for it and accepts it (a case
// with source 移送 is registered), records a session and reaches a written agreement on the
// case page, then sends the feedback drafted by the system; the clerk reads the feedback and
// acknowledges it. Statuses, the countdown, the linked case and the feedback text are checked
// at each step. Another agency's clerk cannot open the referral (404 page). Also: the
// statistics page, the lead's push settings (secret shown once), and the detail on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startServer, Client, DEMO_PASSWORD, launch, newPage, signIn, pick, pickTree, menuItems, noProblems, OUT,
} from './browser.mjs';

let server, browser, dicts, admin, mediatorApi, partnerApi;
let refId = null; // the referral made through the UI
let caseId = null;
const LETTER = '城关派出所〔2026〕移字第88号';
const TITLE = '张某某与李某某邻里纠纷';
const TARGET = '城关镇东关社区人民调解委员会';

const PDF = (tag) => Buffer.from(`%PDF-1.4\n% ${tag}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`);

before(async () => {
  server = await startServer();
  browser = await launch();
  admin = new Client(server.url);
  assert.equal((await admin.login('admin')).status, 200);
  mediatorApi = new Client(server.url);
  assert.equal((await mediatorApi.login('mediator')).status, 200);
  partnerApi = new Client(server.url);
  assert.equal((await partnerApi.login('partner')).status, 200);
  dicts = (await admin.get('/api/dicts')).json;
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const label = (dict, v) => dicts[dict].find((i) => i.value === v).label;
const countdown = (d) => (d > 0 ? `剩余${d}天` : d === 0 ? '今日到期' : `已超期${-d}天`);

/** The status tag in the referral page's header shows `text`. */
async function expectStatus(page, text) {
  await page.waitForFunction(
    (t) => document.querySelector('[data-test=referral-head] [data-test=referral-status]')?.textContent.trim() === t, text);
}

/** The action buttons shown in the referral header, as action names. */
async function actionButtons(page) {
  return page.locator('[data-test=referral-actions] [data-test^=ra-]').evaluateAll(
    (els) => els.map((e) => e.getAttribute('data-test').slice(3)).filter((a) => a !== 'edit'));
}

/** Clicks a referral action, fills its dialog, confirms; waits for the 200 and the dialog to close. */
async function act(page, action, fill) {
  await page.locator(`[data-test=referral-actions] [data-test=ra-${action}]`).click();
  const dialog = page.locator(`[data-test=action-dialog-${action}]`);
  await dialog.waitFor();
  if (fill) await fill(dialog);
  const resp = page.waitForResponse((r) => r.url().includes(`/events/${action}`) && r.request().method() === 'POST');
  await dialog.locator('[data-test=a-submit]').click();
  const r = await resp;
  assert.equal(r.status(), 200, `${action}: ${await r.text()}`);
  await dialog.waitFor({ state: 'hidden' });
  return r.request().postDataJSON();
}

/** A case-page event through the existing case UI. */
async function caseEvent(page, event, fill) {
  await page.locator(`[data-test=case-actions] [data-test=ev-${event}]`).click();
  const dialog = page.locator('.el-dialog:visible');
  await dialog.waitFor();
  if (fill) await fill(dialog);
  const resp = page.waitForResponse((r) => r.url().includes(`/events/${event}`) && r.request().method() === 'POST');
  await dialog.locator('[data-test=ev-submit]').click();
  assert.equal((await resp).status(), 200);
  await dialog.waitFor({ state: 'hidden' });
}

/** A whole-page screenshot (the layout scrolls inside el-main). */
async function shoot(page, name) {
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

test('police referral: draft with consent → approval → inbox countdown → receipt → accept (case) → agreement → feedback → acknowledgement', async () => {
  // ---- 1. the police clerk drafts and submits ----
  const P = await newPage(browser);
  const pp = P.page;
  await signIn(pp, server.url, 'partner', DEMO_PASSWORD);
  const items = await menuItems(pp);
  assert.ok(items.includes('移送登记') && items.includes('移送管理') && items.includes('移送统计'), items.join(','));
  assert.ok(!items.includes('待审签') && !items.includes('推送设置'), 'a clerk neither approves nor manages endpoints');
  await pp.locator('[data-test=side-menu] .el-menu-item', { hasText: '移送登记' }).click();
  await pp.waitForURL(/\/referrals\/new$/);
  const form = pp.locator('[data-test=referral-form]');
  await form.waitFor();
  // the channel follows the agency's type; the clerk is the contact
  assert.match(await form.locator('[data-test=f-channel]').innerText(), new RegExp(label('referral_channel', 'police')));
  assert.equal(await form.locator('input[data-test=f-contact-name]').inputValue(), partnerApi.user.name);
  await form.locator('input[data-test=f-letter-no]').fill(LETTER);
  await pickTree(pp, form.locator('[data-test=f-target]'), TARGET);
  await form.locator('textarea[data-test=f-note]').fill('当事人双方均同意调解，请予受理。');
  await form.locator('input[data-test=f-title]').fill(TITLE);
  await pick(pp, form.locator('[data-test=f-type]'), label('dispute_type', 'neighbour'));
  await form.locator('textarea[data-test=f-facts]').fill('双方因宅基地边界围墙发生争执，经民警现场处置，双方同意由人民调解委员会调解。');
  await form.locator('textarea[data-test=f-claims]').fill('拆除越界围墙，赔偿损失');
  await form.locator('input[data-test=f-amount]').fill('1200.50');
  await form.locator('input[data-test=f-place]').fill('东关社区');
  const p0 = form.locator('[data-test=party-0]');
  const p1 = form.locator('[data-test=party-1]');
  await p0.locator('input[data-test=pt-name]').fill('张某某');
  await p0.locator('input[data-test=pt-id]').fill('11010519491231002X');
  await p0.locator('input[data-test=pt-phone]').fill('13800138000');
  await p1.locator('input[data-test=pt-name]').fill('李某某');
  // submitting without the written consent is stopped on the page
  await pp.locator('[data-test=save-submit]').click();
  await pp.locator('[data-test=form-error]', { hasText: '同意调解书' }).waitFor();
  // the consent PDF: uploaded with POST /api/files, listed as 当事人同意调解书
  const uploaded = pp.waitForResponse((r) => r.url().endsWith('/api/files') && r.request().method() === 'POST');
  await form.locator('input[data-test=m-file]').setInputFiles({ name: '张某某李某某同意调解书.pdf', mimeType: 'application/pdf', buffer: PDF('consent') });
  assert.equal((await uploaded).status(), 201);
  const mrow = form.locator('[data-test=materials-table] .el-table__body-wrapper tr');
  await mrow.first().waitFor();
  assert.match(await mrow.first().innerText(), new RegExp(label('referral_attachment_kind', 'consent')));
  await shoot(pp, 'referrals-form.png');

  const created = pp.waitForResponse((r) => r.url().endsWith('/api/referrals') && r.request().method() === 'POST');
  const submitted = pp.waitForResponse((r) => r.url().includes('/events/submit'));
  await pp.locator('[data-test=save-submit]').click();
  const c201 = await created;
  assert.equal(c201.status(), 201, await c201.text());
  const sent = c201.request().postDataJSON();
  assert.equal(sent.amount, 120050, 'yuan 1200.50 → 120050 fen');
  assert.equal(sent.channel, 'police');
  assert.equal(sent.parties[0].id_number, '11010519491231002X');
  assert.deepEqual(sent.attachments.map((a) => a.kind), ['consent']);
  assert.equal((await submitted).status(), 200);
  refId = (await c201.json()).id;
  await pp.waitForURL(new RegExp(`/referrals/${refId}$`));
  await expectStatus(pp, label('referral_status', 'awaiting_approval'));
  assert.deepEqual(await actionButtons(pp), ['cancel'], 'the clerk may only cancel while it waits');
  assert.equal((await pp.locator('[data-test=ref-party-id]').first().innerText()).trim(), '110105********002X');
  assert.ok(!(await pp.content()).includes('11010519491231002X'), 'the full number is not on the page');

  // ---- 2. the lead approves from the approval queue ----
  const L = await newPage(browser);
  const lp = L.page;
  await signIn(lp, server.url, 'partner_lead', DEMO_PASSWORD);
  await lp.locator('[data-test=side-menu] .el-menu-item', { hasText: '待审签' }).click();
  await lp.waitForURL(/\/referrals\/approval$/);
  const qrow = lp.locator('[data-test=referral-table] .el-table__body-wrapper tr', { hasText: LETTER });
  await qrow.waitFor();
  assert.equal((await qrow.locator('[data-test=referral-status]').innerText()).trim(), label('referral_status', 'awaiting_approval'));
  await qrow.locator('[data-test=approve-open]').click();
  await lp.waitForURL(new RegExp(`/referrals/${refId}$`));
  await expectStatus(lp, label('referral_status', 'awaiting_approval'));
  assert.deepEqual((await actionButtons(lp)).sort(), ['approve', 'cancel', 'reject']);
  const approval = await act(lp, 'approve', (d) => d.locator('textarea[data-test=a-comment]').fill('同意移送东关社区调委会'));
  assert.equal(approval.comment, '同意移送东关社区调委会');
  await expectStatus(lp, label('referral_status', 'sent'));
  let api = (await partnerApi.get(`/api/referrals/${refId}`)).json;
  assert.equal(api.approved_by_name, (await lp.locator('[data-test=user-name]').innerText()).trim());
  await lp.locator('[data-test=head-accept] [data-test=countdown-tag]', { hasText: countdown(api.accept.days_left) }).waitFor();
  // the approval queue is empty again
  await lp.goto(server.url + '/referrals/approval');
  await lp.locator('[data-test=referral-table] .el-table__empty-text').waitFor();
  noProblems(L.problems());
  await L.context.close();

  // ---- 3. the committee: inbox with the countdown, receipt, acceptance ----
  const M = await newPage(browser);
  const mp = M.page;
  await signIn(mp, server.url, 'mediator', DEMO_PASSWORD);
  const mItems = await menuItems(mp);
  assert.ok(mItems.includes('移送管理') && !mItems.includes('移送登记') && !mItems.includes('待审签'), mItems.join(','));
  await mp.locator('[data-test=side-menu] .el-menu-item', { hasText: '移送管理' }).click();
  await mp.waitForURL(/\/referrals$/);
  const inbox = (await mediatorApi.get('/api/referrals')).json.items.find((x) => x.id === refId);
  assert.ok(inbox, 'in the committee inbox');
  const irow = mp.locator('[data-test=referral-table] .el-table__body-wrapper tr', { hasText: LETTER });
  await irow.waitFor();
  const tag = irow.locator('[data-test=countdown-tag]');
  assert.equal((await tag.innerText()).trim(), countdown(inbox.accept.days_left));
  assert.match((await tag.innerText()).trim(), /^剩余\d+天$/, 'approved today: days are left');
  assert.match(await irow.innerText(), new RegExp(inbox.accept.due_on));
  assert.equal((await irow.locator('[data-test=ref-channel]').innerText()).trim(), label('referral_channel', 'police'));
  assert.match(await irow.innerText(), new RegExp(partnerApi.user.org_name));
  assert.equal((await irow.locator('[data-test=referral-status]').innerText()).trim(), label('referral_status', 'sent'));
  await shoot(mp, 'referrals-inbox.png');
  // the to-do page lists it as the committee's task; its letter number opens it
  const task = (await mediatorApi.get('/api/todo')).json.referrals.items.find((x) => x.id === refId);
  assert.equal(task?.task, 'accept_or_return');
  await mp.locator('[data-test=side-menu] .el-menu-item', { hasText: '我的待办' }).click();
  await mp.waitForURL(/\/todo$/);
  const trow = mp.locator('[data-test=todo-referrals] .el-table__body-wrapper tr', { hasText: LETTER });
  await trow.waitFor();
  assert.equal((await trow.locator('[data-test=todo-referral-task]').innerText()).trim(), task.task_label);
  assert.match(await trow.innerText(), new RegExp(task.due_on));
  await trow.locator('[data-test=todo-referral]').click();
  await mp.waitForURL(new RegExp(`/referrals/${refId}$`));
  await expectStatus(mp, label('referral_status', 'sent'));
  assert.deepEqual((await actionButtons(mp)).sort(), ['accept', 'receipt', 'return']);
  // the partner's consent is readable through the referral
  const link = mp.locator('[data-test=ref-attachment-link]').first();
  const file = await mp.request.get(server.url + (await link.getAttribute('href')));
  assert.equal(file.status(), 200);
  assert.deepEqual(Buffer.from(await file.body()), PDF('consent'));

  await act(mp, 'receipt', (d) => d.locator('textarea[data-test=a-note]').fill('已收到移送函及同意调解书'));
  await expectStatus(mp, label('referral_status', 'received'));
  assert.match(await mp.locator('[data-test=receipt]').innerText(), new RegExp(mediatorApi.user.name));
  await act(mp, 'accept');
  await expectStatus(mp, label('referral_status', 'accepted'));
  api = (await mediatorApi.get(`/api/referrals/${refId}`)).json;
  caseId = api.case.id;
  assert.equal((await mp.locator('[data-test=accept-timeliness]').innerText()).trim(), label('referral_timeliness', 'on_time'));
  const caseLink = mp.locator('[data-test=case-link]');
  assert.equal((await caseLink.innerText()).trim(), api.case.case_no);
  assert.deepEqual(await actionButtons(mp), [], 'nothing to do until the case ends');

  // ---- 4. the case page (existing UI): source 移送, session, written agreement, signed agreement ----
  await caseLink.click();
  await mp.waitForURL(new RegExp(`/cases/${caseId}$`));
  await mp.locator('[data-test=case-referral]').waitFor();
  assert.match(await mp.locator('[data-test=case-referral]').innerText(), new RegExp(LETTER.replace(/[〔〕]/g, '.')));
  assert.match(await mp.locator('[data-test=case-info]').innerText(), new RegExp(label('source', 'referral')));
  await caseEvent(mp, 'record_session', (d) => d.locator('textarea[data-test=ev-content]').fill('双方当面协商，同意按原边界重建围墙。'));
  await caseEvent(mp, 'agree', (d) => d.locator('textarea[data-test=ev-terms]').fill('一、李某某于十日内拆除越界围墙；二、双方再无争议。'));
  await mp.waitForFunction((t) => document.querySelector('[data-test=case-head] [data-test=status-tag]')?.textContent.trim() === t, label('case_status', 'agreed'));
  await mp.locator('.el-tabs__item', { hasText: '材料' }).click();
  const att = mp.locator('[data-test=attachment-form]');
  await pick(mp, att.locator('[data-test=att-kind]'), label('attachment_kind', 'signed_agreement'));
  await att.locator('input[data-test=att-file]').setInputFiles({ name: '调解协议书.pdf', mimeType: 'application/pdf', buffer: PDF('agreement') });
  await att.locator('input[data-test=att-title]').fill('调解协议书（签字）');
  const attached = mp.waitForResponse((r) => r.url().endsWith(`/api/cases/${caseId}/attachments`));
  await att.locator('[data-test=att-submit]').click();
  assert.equal((await attached).status(), 200);

  // ---- 5. back on the referral: the feedback from the system's draft ----
  await mp.locator('[data-test=case-referral-link]').click();
  await mp.waitForURL(new RegExp(`/referrals/${refId}$`));
  await expectStatus(mp, label('referral_status', 'accepted'));
  assert.deepEqual(await actionButtons(mp), ['feedback']);
  assert.match(await mp.locator('[data-test=state-note]').innerText(), /反馈/);
  const draft = (await mediatorApi.get(`/api/referrals/${refId}/feedback-draft`)).json;
  await mp.locator('[data-test=referral-actions] [data-test=ra-feedback]').click();
  const fd = mp.locator('[data-test=feedback-dialog]');
  const text = fd.locator('textarea[data-test=fb-text]');
  await text.waitFor();
  await mp.waitForFunction(() => document.querySelector('[data-test=feedback-dialog] textarea')?.value.length > 0);
  assert.equal(await text.inputValue(), draft.text, 'the server’s draft');
  assert.match(draft.text, /书面调解协议/);
  assert.equal((await fd.locator('[data-test=fb-outcome]').innerText()).trim(), label('feedback_outcome', 'agreed'));
  const signed = draft.files.find((f) => f.suggested);
  assert.ok(signed, 'the signed agreement is suggested');
  assert.ok(await fd.locator(`[data-test=fb-file-${signed.file_id}] input`).isChecked(), 'and pre-selected');
  const finalText = draft.text + '\n    联系人：王德明，电话 13900000001。';
  await text.fill(finalText);
  await mp.waitForTimeout(300);
  await mp.screenshot({ path: join(OUT, 'referrals-feedback-dialog.png') });
  const fbResp = mp.waitForResponse((r) => r.url().includes('/events/feedback'));
  await fd.locator('[data-test=fb-submit]').click();
  const fb = await fbResp;
  assert.equal(fb.status(), 200, await fb.text());
  assert.deepEqual(fb.request().postDataJSON().file_ids, [signed.file_id]);
  await fd.waitFor({ state: 'hidden' });
  await expectStatus(mp, label('referral_status', 'feedback_sent'));
  assert.equal((await mp.locator('[data-test=feedback-text]').innerText()).trim(), finalText.trim());
  await shoot(mp, 'referrals-detail-committee.png');

  // statistics: the police channel counts it
  await mp.locator('[data-test=side-menu] .el-menu-item', { hasText: '移送统计' }).click();
  await mp.waitForURL(/\/referrals\/stats$/);
  const st = (await mediatorApi.get('/api/referrals/stats')).json;
  const police = st.channels.find((c) => c.channel === 'police');
  const srow = mp.locator('[data-test=stats-table] .el-table__body-wrapper tr', { hasText: label('referral_channel', 'police') });
  await srow.waitFor();
  for (const k of ['referred', 'accepted', 'agreed', 'accept_on_time', 'feedback_on_time'])
    assert.equal((await srow.locator(`[data-test=st-${k}]`).innerText()).trim(), String(police[k]), k);
  assert.ok(police.referred >= 1 && police.feedback_on_time >= 1);
  await mp.locator('[data-test=stats-chart] canvas').waitFor();
  await shoot(mp, 'referrals-stats.png');
  noProblems(M.problems());
  await M.context.close();

  // ---- 6. the clerk reads the feedback and acknowledges it ----
  // first on the to-do page, where a partner's referral tasks come first (no case sections)
  await pp.goto(server.url + '/todo');
  const prow = pp.locator('[data-test=todo-referrals] .el-table__body-wrapper tr', { hasText: LETTER });
  await prow.waitFor();
  const ptask = (await partnerApi.get('/api/todo')).json.referrals.items.find((x) => x.id === refId);
  assert.equal(ptask?.task, 'acknowledge');
  assert.equal((await prow.locator('[data-test=todo-referral-task]').innerText()).trim(), ptask.task_label);
  assert.equal(await pp.locator('[data-test=todo-deadlines], [data-test=todo-deadlines-empty]').count(), 0);
  const pcounts = (await partnerApi.get('/api/todo')).json.referrals.counts;
  for (const k of ['overdue', 'due_today', 'due_soon'])
    assert.equal((await pp.locator(`[data-test=todo-${k}] [data-test=count]`).innerText()).trim(), String(pcounts[k]), k);
  assert.equal(await pp.locator('[data-test=todo-scope]').count(), 0, 'no case scope to switch');
  await shoot(pp, 'referrals-todo-partner.png');
  await prow.locator('[data-test=todo-referral]').click();
  await pp.waitForURL(new RegExp(`/referrals/${refId}$`));
  await expectStatus(pp, label('referral_status', 'feedback_sent'));
  assert.equal((await pp.locator('[data-test=feedback-text]').innerText()).trim(), finalText.trim());
  assert.match(await pp.locator('[data-test=feedback-file]').first().innerText(), /调解协议书/);
  assert.equal((await pp.locator('[data-test=case-link]').innerText()).trim(), api.case.case_no);
  assert.deepEqual(await actionButtons(pp), ['acknowledge']);
  assert.equal((await pp.locator('[data-test=ra-acknowledge]').innerText()).trim(), '确认反馈');
  await act(pp, 'acknowledge', (d) => d.locator('textarea[data-test=a-note]').fill('已收悉'));
  await expectStatus(pp, label('referral_status', 'acknowledged'));
  assert.match(await pp.locator('[data-test=feedback-ack]').innerText(), /已收悉/);
  assert.deepEqual(await actionButtons(pp), []);
  const labels = (await pp.locator('[data-test=ref-timeline-item] [data-test=tl-label]').allInnerTexts()).map((s) => s.trim());
  const events = (await partnerApi.get(`/api/referrals/${refId}`)).json.timeline.map((t) => t.label);
  assert.deepEqual(labels, events);
  assert.equal(labels.at(-1), label('referral_event', 'acknowledge'));
  await shoot(pp, 'referrals-detail.png');
  // the outbox list shows it as acknowledged
  await pp.goto(server.url + '/referrals');
  const orow = pp.locator('[data-test=referral-table] .el-table__body-wrapper tr', { hasText: LETTER });
  await orow.waitFor();
  assert.equal((await orow.locator('[data-test=referral-status]').innerText()).trim(), label('referral_status', 'acknowledged'));
  await shoot(pp, 'referrals-list-partner.png');
  noProblems(P.problems());
  await P.context.close();
});

test('the lead sends a draft back; the clerk changes it (the stored identity number is kept) and submits again', async () => {
  // set-up through the API: a submitted referral with its consent
  let r = await partnerApi.post('/api/referrals', {
    letter_no: '城关派出所〔2026〕移字第89号', target_org_id: mediatorApi.user.org_id, title: '王某某与赵某某噪音纠纷',
    dispute_type: 'neighbour', facts: '楼上楼下噪音纠纷。',
    parties: [{ role: 'applicant', kind: 'person', name: '王某某', id_number: '11010519491231002X' }, { role: 'respondent', kind: 'person', name: '赵某某' }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = r.json.id;
  const up = await fetch(`${server.url}/api/referrals/${id}/attachments/upload?kind=consent`, {
    method: 'POST', body: PDF('consent-2'), headers: { cookie: partnerApi.cookie, 'x-csrf-token': partnerApi.csrf, 'content-type': 'application/pdf' },
  });
  assert.equal(up.status, 201);
  assert.equal((await partnerApi.post(`/api/referrals/${id}/events/submit`)).status, 200);

  // the lead: 退回修改 needs a comment
  const L = await newPage(browser);
  await signIn(L.page, server.url, 'partner_lead', DEMO_PASSWORD);
  await L.page.goto(`${server.url}/referrals/${id}`);
  await expectStatus(L.page, label('referral_status', 'awaiting_approval'));
  await L.page.locator('[data-test=referral-actions] [data-test=ra-reject]').click();
  const dlg = L.page.locator('[data-test=action-dialog-reject]');
  await dlg.locator('[data-test=a-submit]').click();
  await dlg.locator('.el-form-item__error', { hasText: '退回意见' }).waitFor();
  await dlg.locator('textarea[data-test=a-comment]').fill('请补充纠纷发生日期和地点');
  const rejected = L.page.waitForResponse((x) => x.url().includes('/events/reject'));
  await dlg.locator('[data-test=a-submit]').click();
  assert.equal((await rejected).status(), 200);
  await dlg.waitFor({ state: 'hidden' });
  await expectStatus(L.page, label('referral_status', 'draft'));
  noProblems(L.problems());
  await L.context.close();

  // the clerk sees why, changes the draft and submits it again
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'partner', DEMO_PASSWORD);
  await page.goto(`${server.url}/referrals/${id}`);
  await expectStatus(page, label('referral_status', 'draft'));
  assert.match(await page.locator('[data-test=state-note]').innerText(), /请补充纠纷发生日期和地点/);
  await page.locator('[data-test=ra-edit]').click();
  await page.waitForURL(new RegExp(`/referrals/${id}/edit$`));
  const form = page.locator('[data-test=referral-form]');
  await form.waitFor();
  assert.match(await form.locator('[data-test=reject-note]').innerText(), /请补充/);
  assert.equal(await form.locator('input[data-test=f-title]').inputValue(), '王某某与赵某某噪音纠纷');
  assert.match(await form.locator('[data-test=stored-id]').innerText(), /110105\*{8}002X/);
  await form.locator('input[data-test=f-place]').fill('东关社区3号楼');
  const patched = page.waitForResponse((x) => x.url().endsWith(`/api/referrals/${id}`) && x.request().method() === 'PATCH');
  const resubmitted = page.waitForResponse((x) => x.url().includes(`/referrals/${id}/events/submit`));
  await page.locator('[data-test=save-submit]').click();
  const pr = await patched;
  assert.equal(pr.status(), 200, await pr.text());
  assert.equal(pr.request().postDataJSON().parties[0].id_number, '110105********002X', 'the masked form keeps the number');
  assert.equal((await resubmitted).status(), 200);
  await page.waitForURL(new RegExp(`/referrals/${id}$`));
  await expectStatus(page, label('referral_status', 'awaiting_approval'));
  const after = (await partnerApi.get(`/api/referrals/${id}`)).json;
  assert.equal(after.dispute.place, '东关社区3号楼');
  assert.equal(after.dispute.parties[0].id_number_masked, '110105********002X');
  noProblems(problems());
  await context.close();
});

test('another agency’s clerk cannot open the referral: the page says it does not exist', async () => {
  assert.ok(refId, 'the first test made a referral');
  const petition = (await admin.get('/api/orgs?kind=partner')).json.items.find((o) => o.partner_type === 'petition');
  const r = await admin.post('/api/users', { login: 'xfj-clerk', name: '信访局王科长', org_id: petition.id, role: 'partner', password: 'Xinfang-2026-ok' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'xfj-clerk', 'Xinfang-2026-ok');
  await page.goto(`${server.url}/referrals/${refId}`);
  const err = page.locator('[data-test=referral-load-error]');
  await err.waitFor();
  assert.match(await err.innerText(), /不存在/);
  assert.equal(await page.locator('[data-test=referral-head]').count(), 0);
  assert.ok(!(await page.content()).includes(TITLE));
  // nor is it in its list
  await page.goto(`${server.url}/referrals`);
  await page.locator('[data-test=referral-table] .el-table__empty-text').waitFor();
  noProblems(problems());
  await context.close();
});

test('the lead registers a push endpoint: the secret is shown once, with a warning and a copy button', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'partner_lead', DEMO_PASSWORD);
  await page.locator('[data-test=side-menu] .el-menu-item', { hasText: '推送设置' }).click();
  await page.waitForURL(/\/webhooks$/);
  await page.locator('[data-test=wh-add]').click();
  const dlg = page.locator('[data-test=wh-add-dialog]');
  await dlg.waitFor();
  // https is refused on the page already
  await dlg.locator('input[data-test=wh-url-input]').fill('https://gaj.example/hook');
  await dlg.locator('[data-test=wh-add-submit]').click();
  await dlg.locator('.el-form-item__error', { hasText: 'http://' }).waitFor();
  await dlg.locator('input[data-test=wh-url-input]').fill('http://127.0.0.1:9/tiaojie/hook');
  await dlg.locator('input[data-test=wh-desc-input]').fill('警务平台');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/webhooks') && r.request().method() === 'POST');
  await dlg.locator('[data-test=wh-add-submit]').click();
  const c = await created;
  assert.equal(c.status(), 201);
  const secret = (await c.json()).secret;
  const sd = page.locator('[data-test=wh-secret-dialog]');
  await sd.waitFor();
  assert.equal(await sd.locator('input[data-test=wh-secret]').inputValue(), secret);
  assert.match(await sd.innerText(), /只显示这一次/);
  await sd.locator('[data-test=wh-copy]').click();
  await sd.locator('[data-test=wh-copy]', { hasText: '已复制' }).waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'referrals-webhook-secret.png') });
  await sd.locator('[data-test=wh-secret-close]').click();
  await sd.waitFor({ state: 'hidden' });
  const row = page.locator('[data-test=wh-table] .el-table__body-wrapper tr', { hasText: '127.0.0.1:9' });
  await row.waitFor();
  assert.ok(!(await page.content()).includes(secret), 'not shown again');
  // ping: a delivery appears in the outbox (the endpoint refuses the connection)
  const pinged = page.waitForResponse((r) => r.url().includes('/ping'));
  await row.locator('[data-test=wh-ping]').click();
  assert.equal((await pinged).status(), 202);
  await page.locator('[data-test=wd-table] [data-test=wd-event]', { hasText: 'ping' }).first().waitFor();
  await shoot(page, 'referrals-webhooks.png');
  noProblems(problems());
  await context.close();
});

test('phone: the referral detail fits 390 px without horizontal overflow', async () => {
  assert.ok(refId);
  const { page, context, problems } = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signIn(page, server.url, 'mediator', DEMO_PASSWORD);
  await page.goto(`${server.url}/referrals/${refId}`);
  await expectStatus(page, label('referral_status', 'acknowledged'));
  await page.locator('[data-test=feedback-text]').waitFor();
  const overflow = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, vw: window.innerWidth,
  }));
  assert.ok(overflow.doc <= overflow.vw && overflow.body <= overflow.vw, `no horizontal overflow: ${JSON.stringify(overflow)}`);
  await page.screenshot({ path: join(OUT, 'referrals-detail-phone.png') });
  await shoot(page, 'referrals-detail-phone-full.png');
  await page.goto(`${server.url}/referrals`);
  await page.locator('[data-test=referral-table] .el-table__body-wrapper tr').first().waitFor();
  const fits = await page.evaluate(() => {
    const card = document.querySelector('[data-test=referral-search]').getBoundingClientRect();
    const widest = Math.max(...[...document.querySelectorAll('[data-test=referral-search] .el-form-item__content')].map((e) => e.getBoundingClientRect().right));
    return { doc: document.documentElement.scrollWidth, vw: window.innerWidth, card: card.right, widest };
  });
  assert.ok(fits.doc <= fits.vw && fits.widest <= fits.card + 1, `the search form fits: ${JSON.stringify(fits)}`);
  await page.screenshot({ path: join(OUT, 'referrals-list-phone.png') });
  noProblems(problems());
  await context.close();
});
