// (documents) 文书、卷宗、考评审核、以案定补 through the UI. A case is driven to 结案 through
// the API (faster); then the demo mediator, on the case page, generates the 人民调解协议书
// (a version appears; it opens in a new tab for printing; the downloaded PDF carries the
// case number and the parties' names), the other documents the checklist needs, meets the
// 409 naming the missing 身份证明, uploads a scan into that slot and submits the file. The
// judicial office finds it among the files awaiting review, reviews it 合格 with tier 2
// (the tier amounts shown in the dialog), downloads the merged case file (more pages than
// any one document); the 以案定补 page shows the case's mediators' shares adding up to the
// tier-2 amount, and exports the ledger as xlsx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client, DEMO_PASSWORD, launch, newPage, signIn, pickTree, noProblems, OUT, ROOT } from './browser.mjs';

let server, browser, api, office, dicts, tmp;
let kase; // the case, closed
const APPLICANT = '欧阳明远';
const RESPONDENT = '司马秋月';

before(async () => {
  // cairo 1.16 leaks a little per embedded font subset (docs/documents.md, Known limits)
  const supp = join(ROOT, 'tests/api/documents.lsan.supp');
  server = await startServer({ env: { LSAN_OPTIONS: `suppressions=${supp}:print_suppressions=0` } });
  browser = await launch();
  tmp = mkdtempSync(join(tmpdir(), 'tiaojie-docs-ui-'));
  api = new Client(server.url);
  assert.equal((await api.login('mediator')).status, 200);
  office = new Client(server.url);
  assert.equal((await office.login('office')).status, 200);
  dicts = (await api.get('/api/dicts')).json;
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const label = (dict, v) => dicts[dict].find((i) => String(i.value) === String(v)).label;
const squash = (s) => s.replace(/\s+/g, '');
let seq = 0;
function save(buf, ext = 'pdf') { const f = join(tmp, `f${++seq}.${ext}`); writeFileSync(f, buf); return f; }
const pdfText = (buf) => execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', save(buf), '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
const pdfPages = (buf) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [save(buf)], { encoding: 'utf8' }))[1]);
/** Integer fen → "¥200.00" as the UI shows it. */
const yuan = (fen) => '¥' + String(Math.floor(fen / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + String(fen % 100).padStart(2, '0');

async function ev(id, event, body) {
  const r = await api.post(`/api/cases/${id}/events/${event}`, body);
  assert.equal(r.status, 200, `${event}: ${JSON.stringify(r.json)}`);
  return r.json;
}

/** A full-page screenshot (the layout scrolls inside el-main). */
async function shoot(page, name) {
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 6000 }).catch(() => undefined);
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

/** Clicks something that makes the browser download; returns the bytes and the suggested name. */
async function download(page, locator) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), locator.click()]);
  const path = await dl.path();
  return { buf: readFileSync(path), name: dl.suggestedFilename(), url: dl.url() };
}

/** Generates a document from its row of the 文书 tab; returns the version the server made. */
async function generate(page, kind, fill) {
  const row = page.locator(`[data-test=docs-table] tr.doc-${kind}`);
  const before = await row.locator('[data-test=doc-version]').count();
  const resp = page.waitForResponse((r) => r.url().endsWith(`/documents/${kind}`) && r.request().method() === 'POST', { timeout: 60000 });
  await row.locator('[data-test=doc-generate]').click();
  if (fill) await fill(page.locator('[data-test=doc-options]'));
  // the server renders: the row says so until the answer arrives
  const r = await resp;
  assert.equal(r.status(), 201, `${kind}: ${await r.text()}`);
  const v = await r.json();
  await row.locator('[data-test=doc-version-no]', { hasText: `第${v.version}版` }).first().waitFor();
  assert.ok((await row.locator('[data-test=doc-version]').count()) >= Math.min(before, 1));
  return v;
}

test('mediator: generate, print and download the agreement; complete and submit the case file', async () => {
  // ---- the case, through the API: registered, accepted, two mediators, a session, a written agreement, closed
  const reg = await api.post('/api/cases', {
    title: `${APPLICANT}与${RESPONDENT}房屋租赁合同纠纷`, source: 'walk_in', dispute_type: 'contract',
    facts: '申请人将自有房屋出租给被申请人，被申请人拖欠房租三个月，双方就欠租及押金退还发生争议。',
    claims: '要求被申请人支付欠付租金九千元',
    parties: [
      { role: 'applicant', kind: 'person', name: APPLICANT, sex: 'male', phone: '13800138111', address: '城关镇东关社区幸福路1号' },
      { role: 'respondent', kind: 'person', name: RESPONDENT, sex: 'female', phone: '13900139222' },
    ],
  });
  assert.equal(reg.status, 201, JSON.stringify(reg.json));
  const id = reg.json.id;
  await ev(id, 'accept');
  const s = (await api.get(`/api/cases/${id}/suggest-mediators`)).json.items;
  assert.ok(s.length >= 2, 'two mediators to share the subsidy');
  await ev(id, 'assign', { mediator_id: s[0].id, co_mediator_ids: [s[1].id] });
  const today = (await api.get('/api/todo')).json.today;
  await ev(id, 'record_session', { held_on: today, place: '东关社区调解室', participants: `${APPLICANT}、${RESPONDENT}`, content: '调解员释明租赁合同相关规定，双方同意分期结清欠租。' });
  await ev(id, 'agree', { form: 'written', terms: `${RESPONDENT}于本月底前向${APPLICANT}支付欠付租金人民币九千元；${APPLICANT}同时退还押金。`, effective_on: today });
  kase = await ev(id, 'close');
  assert.equal(kase.status, 'closed');

  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'mediator', DEMO_PASSWORD);
  await page.goto(`${server.url}/cases/${id}`);
  await page.locator('[data-test=case-title]').waitFor();

  // ---- 文书: every kind with its name; what cannot be made says why
  await page.locator('.el-tabs__item', { hasText: /^文书$/ }).click();
  const docs = page.locator('[data-test=docs-table]');
  await docs.locator('tr.doc-agreement').waitFor();
  const api_docs = (await api.get(`/api/cases/${id}/documents`)).json.items;
  const names = (await docs.locator('[data-test=doc-label]').allInnerTexts()).map((t) => t.trim());
  assert.deepEqual(names, api_docs.map((d) => label('document_kind', d.kind)));
  const oral = api_docs.find((d) => d.kind === 'oral_agreement_register');
  assert.equal(oral.available, false);
  assert.equal((await docs.locator('tr.doc-oral_agreement_register [data-test=doc-reason]').innerText()).trim(), oral.reason);
  assert.ok(await docs.locator('tr.doc-oral_agreement_register [data-test=doc-generate]').isDisabled());

  // the agreement: a loading state while the server renders, then version 1
  const agreementRow = docs.locator('tr.doc-agreement');
  const resp = page.waitForResponse((r) => r.url().endsWith('/documents/agreement') && r.request().method() === 'POST', { timeout: 60000 });
  await agreementRow.locator('[data-test=doc-generate]').click();
  await agreementRow.locator('[data-test=doc-generate].is-loading, [data-test=doc-rendering]').first().waitFor({ timeout: 5000 }).catch(() => undefined);
  const r = await resp;
  assert.equal(r.status(), 201, await r.text());
  const agreement = await r.json();
  await agreementRow.locator('[data-test=doc-version-no]', { hasText: '第1版' }).waitFor();
  assert.equal((await agreementRow.locator('[data-test=doc-pages]').innerText()).trim(), `${agreement.pages}页`);
  assert.equal((await agreementRow.locator('[data-test=doc-sha]').innerText()).trim(), agreement.sha256.slice(0, 12));
  assert.equal((await agreementRow.locator('[data-test=doc-generate]').innerText()).trim(), '重新生成');

  // 打印: the PDF in a new tab (the browser's viewer prints it)
  const [popup] = await Promise.all([context.waitForEvent('page'), agreementRow.locator('[data-test=doc-print]').click()]);
  await popup.waitForLoadState().catch(() => undefined);
  assert.match(popup.url(), new RegExp(`/api/documents/${agreement.id}/pdf$`));
  await popup.close();

  // 下载: the bytes are a PDF with the case number and both parties
  const dl = await download(page, agreementRow.locator('[data-test=doc-download]'));
  assert.equal(dl.buf.subarray(0, 5).toString(), '%PDF-');
  assert.match(dl.name, /人民调解协议书.*\.pdf$/);
  const text = squash(pdfText(dl.buf));
  assert.ok(text.includes(squash(kase.case_no)), 'the case number on the agreement');
  for (const n of [APPLICANT, RESPONDENT]) assert.ok(text.includes(n), `party ${n} on the agreement`);
  for (const m of kase.mediators) assert.ok(text.includes(m.name), `mediator ${m.name} signs`);

  // what the checklist needs besides: 申请书, 权利义务告知书, 调解记录, 封底 (a remark in its dialog)
  const pages = [agreement.pages];
  for (const kind of ['application', 'rights_notice', 'session_record']) pages.push((await generate(page, kind)).pages);
  const back = await generate(page, 'back_cover', async (dialog) => {
    await dialog.waitFor();
    await dialog.locator('textarea[data-test=doc-note]').fill('卷内材料齐全，身份证明为复印件。');
    await dialog.locator('[data-test=doc-options-submit]').click();
  });
  pages.push(back.pages);
  assert.equal(back.note, '卷内材料齐全，身份证明为复印件。');
  // regenerate the agreement: version 2 on top, version 1 kept behind 查看全部
  const v2 = await generate(page, 'agreement');
  assert.equal(v2.version, 2);
  await agreementRow.locator('[data-test=doc-more]').click();
  assert.deepEqual((await agreementRow.locator('[data-test=doc-version-no]').allInnerTexts()).map((t) => t.trim()), ['第2版', '第1版']);
  await shoot(page, 'documents-tab.png');

  // ---- 卷宗: the checklist; submitting without 身份证明 is refused by name
  await page.locator('.el-tabs__item', { hasText: /^卷宗$/ }).click();
  const items = page.locator('[data-test=file-items]');
  await items.locator('tr.item-id_proof').waitFor();
  let cf = (await api.get(`/api/cases/${id}/case-file`)).json;
  assert.deepEqual(cf.missing, ['当事人身份证明']);
  assert.deepEqual((await items.locator('[data-test=item-label]').allInnerTexts()).map((t) => t.trim()), cf.items.map((i) => i.label));
  assert.equal((await items.locator('tr.item-id_proof [data-test=item-state]').innerText()).trim(), '缺少');
  assert.equal((await items.locator('tr.item-id_proof [data-test=item-required]').innerText()).trim(), '必备');
  assert.equal((await items.locator('tr.item-agreement [data-test=item-state]').innerText()).trim(), '已具备');
  assert.match(await items.locator('tr.item-agreement [data-test=item-source]').innerText(), /第2版/);
  // colours: present green, missing red
  const colour = (sel) => items.locator(`${sel} [data-test=item-state]`).evaluate((e) => getComputedStyle(e).color);
  assert.equal(await colour('tr.item-agreement'), 'rgb(103, 194, 58)');
  assert.equal(await colour('tr.item-id_proof'), 'rgb(245, 108, 108)');
  assert.match(await page.locator('[data-test=file-missing]').innerText(), /当事人身份证明/);

  let submitted = page.waitForResponse((x) => x.url().endsWith('/case-file/submit'));
  await page.locator('[data-test=file-submit]').click();
  assert.equal((await submitted).status(), 409);
  assert.match(await page.locator('[data-test=file-submit-error]').innerText(), /缺少：当事人身份证明/);
  await shoot(page, 'documents-case-file-missing.png');

  // upload a scan (a PNG made from the agreement's first page) into the 身份证明 slot
  execFileSync('pdftoppm', ['-r', '30', '-png', '-singlefile', '-f', '1', '-l', '1', save(dl.buf), join(tmp, 'scan')]);
  const png = readFileSync(join(tmp, 'scan.png'));
  await items.locator('tr.item-id_proof [data-test=item-upload]').click();
  const up = page.locator('[data-test=file-upload-dialog]');
  await up.waitFor();
  assert.equal(await up.locator('input[data-test=up-title]').inputValue(), label('attachment_kind', 'id_proof'));
  await up.locator('input[data-test=up-file]').setInputFiles({ name: '身份证复印件.png', mimeType: 'image/png', buffer: png });
  await up.locator('input[data-test=up-title]').fill('当事人身份证复印件');
  const attached = page.waitForResponse((x) => x.url().endsWith(`/api/cases/${id}/attachments`));
  await up.locator('[data-test=up-submit]').click();
  assert.equal((await attached).status(), 200);
  await items.locator('tr.item-id_proof [data-test=item-source]', { hasText: '当事人身份证复印件' }).waitFor();
  assert.equal((await items.locator('tr.item-id_proof [data-test=item-state]').innerText()).trim(), '已具备');
  await page.locator('[data-test=file-complete]').waitFor();
  assert.ok((await page.locator('.el-tabs__item', { hasText: '材料' }).innerText()).includes('（1）'), 'the case page counts the upload');

  submitted = page.waitForResponse((x) => x.url().endsWith('/case-file/submit'));
  await page.locator('[data-test=file-submit]').click();
  assert.equal((await submitted).status(), 200);
  await page.waitForFunction((t) => document.querySelector('[data-test=file-status]')?.textContent.trim() === t, label('case_file_status', 'submitted'));
  assert.equal(await page.locator('[data-test=file-submit]').count(), 0, 'no second submission');
  assert.equal(await page.locator('[data-test=file-review]').count(), 0, 'mediators do not review');
  await shoot(page, 'documents-case-file.png');
  cf = (await api.get(`/api/cases/${id}/case-file`)).json;
  assert.equal(cf.status, 'submitted');
  kase.maxDocPages = Math.max(...pages, v2.pages);
  noProblems(problems());
  await context.close();
});

test('office: finds the file awaiting review, reviews it 合格 tier 2, downloads the merged file; the ledger shows the subsidy', async () => {
  assert.ok(kase, 'the first test made the case');
  const settings = (await office.get('/api/settings/subsidy')).json;
  const tier2 = settings.tier_amounts[1];
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'office', DEMO_PASSWORD);

  // 考评补贴 › 待审卷宗 lists it
  const menu = page.locator('[data-test=side-menu]');
  const entry = menu.locator('.el-menu-item', { hasText: '待审卷宗' });
  await menu.waitFor();
  if (!(await entry.isVisible())) await menu.locator('.el-sub-menu__title', { hasText: '考评补贴' }).click();
  await entry.click();
  await page.waitForURL(/\/reviews$/);
  const pending = page.locator('[data-test=pending-table] .el-table__body-wrapper tr', { hasText: kase.case_no });
  await pending.waitFor({ timeout: 60000 });
  await page.locator('[data-test=r-progress]', { hasText: '找到待审核卷宗' }).waitFor({ timeout: 60000 });
  await shoot(page, 'documents-pending.png');
  await pending.locator('[data-test=r-case-no]').click();
  await page.waitForURL(new RegExp(`/cases/${kase.id}\\?tab=file$`));

  // the review dialog: tiers with their amounts; 合格 + tier 2
  await page.locator('[data-test=file-review]').click();
  const dialog = page.locator('[data-test=review-dialog]');
  await dialog.waitFor();
  const amounts = dialog.locator('[data-test=tier-amount]');
  await amounts.first().waitFor();
  assert.deepEqual((await amounts.allInnerTexts()).map((t) => t.trim()), settings.tier_amounts.map((a) => `每案补贴 ${yuan(a)}`));
  assert.match(await dialog.locator('[data-test=tier-2]').innerText(), new RegExp(label('difficulty', 2).replace(/[()（）]/g, '.')));
  // 合格 without a tier is stopped in the dialog
  await dialog.locator('[data-test=review-submit]').click();
  await dialog.locator('.el-form-item__error', { hasText: '请选择难易程度' }).waitFor();
  await dialog.locator('[data-test=tier-2]').click();
  await dialog.locator('textarea[data-test=review-reasons]').fill('材料齐全，文书规范。');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'documents-review-dialog.png') });
  const reviewed = page.waitForResponse((x) => x.url().endsWith('/case-file/review'));
  await dialog.locator('[data-test=review-submit]').click();
  const rr = await reviewed;
  assert.equal(rr.status(), 200, await rr.text());
  assert.deepEqual(rr.request().postDataJSON(), { result: 'qualified', reasons: '材料齐全，文书规范。', tier: 2 });
  await dialog.waitFor({ state: 'hidden' });
  await page.waitForFunction((t) => document.querySelector('[data-test=file-status]')?.textContent.trim() === t, label('case_file_status', 'qualified'));
  assert.equal((await page.locator('[data-test=file-tier]').innerText()).trim(), label('difficulty', 2));
  const shares = (await page.locator('[data-test=file-subsidies] [data-test=subsidy-amount]').allInnerTexts()).map((t) => t.trim());
  assert.equal(shares.length, kase.mediators.length);
  assert.match(await page.locator('[data-test=file-reviews]').innerText(), /材料齐全，文书规范。/);

  // the merged case file: a PDF with more pages than any one document
  const merged = await download(page, page.locator('[data-test=file-download]'));
  assert.equal(merged.buf.subarray(0, 5).toString(), '%PDF-');
  const n = pdfPages(merged.buf);
  assert.ok(n > kase.maxDocPages, `merged file has ${n} pages, more than ${kase.maxDocPages}`);
  const mt = squash(pdfText(merged.buf));
  for (const s of ['人民调解卷宗', '卷内目录', '当事人身份证复印件', kase.case_no, APPLICANT]) assert.ok(mt.includes(squash(s)), `merged: ${s}`);
  await shoot(page, 'documents-case-file-qualified.png');

  // 以案定补: the case's mediators' shares add up to the tier-2 amount
  await menu.locator('.el-menu-item', { hasText: '以案定补' }).click();
  await page.waitForURL(/\/subsidies$/);
  const ledger = page.locator('[data-test=ledger-table]');
  const rows = ledger.locator('.el-table__body-wrapper tr', { hasText: kase.case_no });
  await rows.first().waitFor();
  assert.equal(await rows.count(), kase.mediators.length);
  const fen = (t) => Number(t.replace(/[¥,.\s]/g, ''));
  const amountsShown = (await rows.locator('[data-test=ledger-amount]').allInnerTexts()).map(fen);
  assert.equal(amountsShown.reduce((a, b) => a + b, 0), tier2, `shares add up to ${yuan(tier2)}`);
  const lead = kase.mediators.find((m) => m.lead);
  const leadRow = rows.filter({ has: page.locator('[data-test=ledger-person]', { hasText: lead.name }) });
  assert.equal(fen(await leadRow.locator('[data-test=ledger-amount]').innerText()), Math.round(tier2 * settings.lead_percent / 100));
  for (const m of kase.mediators) await page.locator('[data-test=by-person] [data-test=bp-name]', { hasText: m.name }).first().waitFor();
  // the totals are the API's
  const all = (await office.get('/api/subsidies')).json;
  assert.equal((await page.locator('[data-test=total-amount]').innerText()).trim(), yuan(all.total_amount));
  await page.locator('[data-test=subsidy-standard]').waitFor();
  await shoot(page, 'documents-ledger.png');

  // narrowed to the committee: the request carries org_id, and so does the export
  const narrowed = page.waitForResponse((x) => x.url().includes('/api/subsidies?') && x.url().includes(`org_id=${kase.org_id}`));
  await pickTree(page, page.locator('[data-test=subsidy-filters] .el-select[data-test=s-org]'), kase.org_name);
  await page.locator('[data-test=s-submit]').click();
  const nr = await narrowed;
  assert.equal(nr.status(), 200);
  assert.equal((await nr.json()).items.filter((i) => i.case_id === kase.id).length, kase.mediators.length);
  const x = await download(page, page.locator('[data-test=subsidy-export]'));
  assert.equal(x.buf.subarray(0, 2).toString(), 'PK', 'an xlsx (zip) file');
  assert.match(x.url, new RegExp(`/api/subsidies/export\\.xlsx\\?org_id=${kase.org_id}$`));
  assert.match(x.name, /\.xlsx$/);
  // office staff may not change the standard (calendar.write)
  assert.equal(await page.locator('[data-test=subsidy-settings]').count(), 0);
  noProblems(problems());
  await context.close();
});

test('admin: the subsidy standard is set in yuan and sent in fen', async () => {
  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.url}/subsidies`);
  await page.locator('[data-test=subsidy-settings]').click();
  const dialog = page.locator('[data-test=subsidy-settings-dialog]');
  await dialog.waitFor();
  await page.waitForFunction(() => document.querySelector('input[data-test=set-tier-1]')?.value === '100.00');
  // a lower amount for a higher tier: the server names the field, shown under it
  await dialog.locator('input[data-test=set-tier-2]').fill('50');
  let put = page.waitForResponse((x) => x.url().endsWith('/api/settings/subsidy') && x.request().method() === 'PUT');
  await dialog.locator('[data-test=settings-save]').click();
  assert.equal((await put).status(), 400);
  await dialog.locator('.el-form-item', { has: page.locator('input[data-test=set-tier-2]') }).locator('.el-form-item__error').waitFor();
  await dialog.locator('input[data-test=set-tier-2]').fill('250.50');
  await dialog.locator('[data-test=set-lead] input, input[data-test=set-lead]').first().fill('70');
  await dialog.locator('[data-test=set-lead] input, input[data-test=set-lead]').first().blur();
  put = page.waitForResponse((x) => x.url().endsWith('/api/settings/subsidy') && x.request().method() === 'PUT');
  await dialog.locator('[data-test=settings-save]').click();
  const r = await put;
  assert.equal(r.status(), 200, await r.text());
  assert.deepEqual(r.request().postDataJSON(), { tier_amounts: [10000, 25050, 30000, 40000], lead_percent: 70 });
  await dialog.waitFor({ state: 'hidden' });
  await page.locator('[data-test=subsidy-standard]', { hasText: '¥250.50' }).waitFor();
  // put the defaults back
  const c = new Client(server.url);
  await c.login('admin');
  assert.equal((await c.req('PUT', '/api/settings/subsidy', { tier_amounts: [10000, 20000, 30000, 40000], lead_percent: 60 })).status, 200);
  noProblems(problems());
  await context.close();
});
