// Documents, case files, review and the subsidy ledger through the API: every document
// rendered for cases with long texts, many parties, legal persons and missing optional
// fields; the text extracted back (pdftotext) and pages rasterised (pdftoppm) to make
// sure nothing is blank; versions; the case-file checklist, merged PDF with uploaded
// scans, submission, review, subsidies and the Excel ledger; scope and permissions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { startServer, Client, run } from '../lib/server.mjs';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../out/documents');
let srv, admin, mediator, office, bureau, partner, auditor, other, tmp;

before(async () => {
  const supp = resolve(dirname(fileURLToPath(import.meta.url)), 'documents.lsan.supp');
  srv = await startServer({ env: { LSAN_OPTIONS: `suppressions=${supp}:print_suppressions=0` } });
  tmp = mkdtempSync(join(tmpdir(), 'tiaojie-docs-'));
  mkdirSync(OUT, { recursive: true });
  admin = new Client(srv.url); await admin.login('admin');
  mediator = new Client(srv.url); await mediator.login('mediator');
  office = new Client(srv.url); await office.login('office');
  bureau = new Client(srv.url); await bureau.login('bureau');
  partner = new Client(srv.url); await partner.login('partner');
  auditor = new Client(srv.url); await auditor.login('auditor');
  const orgs = (await admin.get('/api/orgs?kind=committee')).json.items;
  const far = orgs.find(o => o.path.split('/').length === 5 && !o.name.startsWith('城关镇'));
  const r = run(['user', 'add', '--db', srv.db, '--login', 'far-docs', '--org', String(far.id), '--role', 'mediator'], { input: 'Far-away-2026\n' });
  assert.equal(r.status, 0, r.stderr);
  other = new Client(srv.url); await other.login('far-docs', 'Far-away-2026');
});
after(async () => { await srv.stop(); rmSync(tmp, { recursive: true, force: true }); });

// ---- PDF helpers ----
let seq = 0;
function save(buf, ext = 'pdf') { const f = join(tmp, `f${++seq}.${ext}`); writeFileSync(f, buf); return f; }
async function bytes(c, path) {
  const h = { cookie: c.cookie };
  const r = await fetch(srv.url + path, { headers: h });
  return { status: r.status, headers: r.headers, buf: Buffer.from(await r.arrayBuffer()) };
}
const squash = s => s.replace(/\s+/g, '');
function pdfText(buf) { return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', save(buf), '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }); }
function pdfPages(buf) { return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [save(buf)], { encoding: 'utf8' }))[1]); }
function pdfFonts(buf) { return execFileSync('pdffonts', [save(buf)], { encoding: 'utf8' }); }
// Share of dark pixels on a page rasterised at 20 dpi in grey (PGM), above the footer
// (the top 88 % of the page), so a page with nothing but its footer counts as blank.
function ink(buf, page) {
  const f = save(buf); const base = join(tmp, `r${++seq}`);
  execFileSync('pdftoppm', ['-r', '20', '-gray', '-x', '0', '-y', '0', '-W', '166', '-H', '205', '-f', String(page), '-l', String(page), f, base]);
  const file = readdirSync(tmp).find(n => n.startsWith(`r${seq}`) && n.endsWith('.pgm'));
  const pgm = readFileSync(join(tmp, file));
  // header: P5\n<w> <h>\n255\n
  let off = 0, fields = [];
  while (fields.length < 4) {
    let s = off; while (pgm[off] > 32) off++;
    fields.push(pgm.subarray(s, off).toString()); while (pgm[off] <= 32) off++;
  }
  const px = pgm.subarray(off);
  let dark = 0; for (const v of px) if (v < 160) dark++;
  return dark / px.length;
}
// Keep PNGs of some pages for a person to look at (tests/out/documents/, git-ignored).
function snapshot(buf, name, pages = [1]) {
  const f = join(OUT, `${name}.pdf`);
  writeFileSync(f, buf);
  for (const p of pages) execFileSync('pdftoppm', ['-r', '60', '-png', '-singlefile', '-f', String(p), '-l', String(p), f, join(OUT, `${name}-p${p}`)]);
}
function assertReadable(buf, what) {
  assert.equal(buf.subarray(0, 5).toString(), '%PDF-', `${what}: a PDF`);
  const n = pdfPages(buf);
  for (const p of new Set([1, n])) assert.ok(ink(buf, p) > 0.0005, `${what}: page ${p} of ${n} is not blank (${ink(buf, p)})`);
  const fonts = pdfFonts(buf);
  assert.match(fonts, /NotoSerifCJK/, `${what}: CJK serif font`);
  for (const line of fonts.split('\n').slice(2).filter(Boolean)) {
    assert.match(line, /\byes\s+yes\b/, `${what}: every font embedded and subset: ${line}`);
  }
  return n;
}

// ---- fixtures ----
const long = (s, n) => Array.from({ length: n }, (_, i) => `${s}（第${i + 1}段）`).join('');
const people = [
  { role: 'applicant', kind: 'person', name: '欧阳娜娜', id_number: '11010519491231002X', ethnicity: '回族', occupation: '个体工商户', phone: '13800138000', address: '青山县城关镇东关社区幸福路18号院3号楼2单元501室', agent_name: '司马律师', agent_relation: '律师，北京某某律师事务所', agent_phone: '13900001111' },
  { role: 'applicant', kind: 'person', name: '张三丰', sex: 'male', birth_date: '1960-05-04', occupation: '农民', address: '城关镇西关村' },
  { role: 'applicant', kind: 'person', name: '李小龙' }, // nothing but a name
  { role: 'respondent', kind: 'legal_person', name: '青山县某某建筑工程有限责任公司', credit_code: '91350100M000100Y43', legal_rep: '王大锤', address: '青山县经济开发区创业大道88号', phone: '0558-6012345', agent_name: '赵经理', agent_relation: '公司员工' },
  { role: 'respondent', kind: 'other_org', name: '东关社区第三物业服务中心', legal_rep: '钱多多' },
  { role: 'respondent', kind: 'person', name: '孙悟空', sex: 'male', ethnicity: '汉族', birth_date: '1985-02-28', phone: '13712345678' },
  { role: 'third_party', kind: 'person', name: '猪八戒', sex: 'male', address: '高老庄' },
  ...Array.from({ length: 5 }, (_, i) => ({ role: 'applicant', kind: 'person', name: `务工人员${'甲乙丙丁戊'[i]}`, sex: i % 2 ? 'female' : 'male', occupation: '建筑工人', phone: `1350000000${i}` })),
];
const termsList = Array.from({ length: 14 }, (_, i) => `${['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四'][i]}、被申请人青山县某某建筑工程有限责任公司应于2025年10月${10 + i}日前向申请人支付第${i + 1}笔工资款人民币${(i + 1) * 1000}元，以银行转账方式支付至申请人指定账户；逾期未付的，按日加付万分之五的违约金`);
const terms = termsList.join('；') + '。';

async function registerCase(c, body) {
  const r = await c.post('/api/cases', body);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}
async function ev(c, id, event, body) {
  const r = await c.post(`/api/cases/${id}/events/${event}`, body);
  assert.equal(r.status, 200, `${event}: ${JSON.stringify(r.json)}`);
  return r.json;
}
async function assign(c, id) {
  const s = (await c.get(`/api/cases/${id}/suggest-mediators`)).json.items;
  return ev(c, id, 'assign', { mediator_id: s[0].id, co_mediator_ids: s.slice(1, 3).map(m => m.id) });
}
async function generate(c, id, kind, body) {
  const r = await c.post(`/api/cases/${id}/documents/${kind}`, body);
  assert.equal(r.status, 201, `${kind}: ${JSON.stringify(r.json)}`);
  return r.json;
}
async function pdfOf(doc) {
  const r = await bytes(mediator, `/api/documents/${doc.id}/pdf`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.equal(r.headers.get('x-checksum-sha256'), doc.sha256);
  return r.buf;
}

let rich; // the big case, closed
const richDocs = {};

test('a case with long texts, many parties and legal persons: every document', async () => {
  const c = await registerCase(mediator, {
    title: '欧阳娜娜等八人与某某建筑公司等劳务费及物业纠纷', source: 'walk_in', dispute_type: 'wage_arrears', flags: ['mass'],
    facts: long('申请人等在被申请人承建的东关社区安置房项目务工，被申请人以工程款未结算为由拖欠工资，双方多次协商未果，申请人情绪激动，聚集到社区反映', 60),
    claims: long('请求被申请人支付拖欠的工资及利息，并由物业服务中心协助提供考勤记录', 15),
    amount: 12345678, people_involved: 12, place: '东关社区安置房项目工地', occurred_on: '2025-08-01',
    parties: people,
  });
  rich = c.id;
  assert.equal(c.parties.length, people.length);
  await ev(mediator, rich, 'accept', { accepted_on: '2025-09-22' });
  await assign(mediator, rich);
  await ev(mediator, rich, 'record_session', { kind: 'investigation', held_on: '2025-09-23', place: '项目部办公室', participants: '项目经理、考勤员', content: long('经调查，项目部考勤记录显示申请人出勤情况属实，应付工资与申请人主张基本一致', 40) });
  await ev(mediator, rich, 'record_session', { held_on: '2025-09-25', place: '东关社区调解室', participants: '全体当事人及代理人', content: long('调解员向双方释明劳动报酬相关法律规定，双方各自陈述意见\n被申请人表示愿意分期支付', 30) });
  await ev(mediator, rich, 'record_session', { held_on: '2025-09-28', place: '东关社区调解室', content: long('双方就付款期限和方式达成一致意见', 20) });
  await ev(mediator, rich, 'agree', { form: 'written', terms, has_payment: true, amount: 10500000, performance_due: '2025-10-23', effective_on: '2025-09-28' });

  const list = (await mediator.get(`/api/cases/${rich}/documents`)).json;
  const kinds = Object.fromEntries(list.items.map(i => [i.kind, i]));
  assert.equal(kinds.agreement.available, true);
  assert.equal(kinds.oral_agreement_register.available, false);
  assert.equal(kinds.oral_agreement_register.reason, '本案没有口头协议');
  assert.equal(kinds.follow_up_record.available, false);

  const names = people.map(p => p.name);
  for (const kind of ['application', 'acceptance_register', 'rights_notice', 'investigation_record', 'session_record', 'agreement', 'confirmation_guide']) {
    const d = await generate(mediator, rich, kind);
    assert.equal(d.kind, kind);
    assert.equal(d.version, 1);
    assert.equal(d.doc_no, c.case_no);
    assert.equal(d.created_by_name, '王德明');
    assert.match(d.sha256, /^[0-9a-f]{64}$/);
    assert.ok(d.pages >= 1 && d.file_id > 0 && d.size > 1000);
    const buf = await pdfOf(d);
    snapshot(buf, `rich-${kind}`, [...new Set([1, d.pages])]);
    const n = assertReadable(buf, kind);
    assert.equal(n, d.pages, `${kind}: page count recorded`);
    const text = pdfText(buf), flat = squash(text);
    assert.ok(flat.includes(squash(d.label)) || kind === 'rights_notice', `${kind}: title`);
    // the document number and "page i of n" on every page
    for (let p = 1; p <= n; p++) assert.ok(flat.includes(`第${p}页共${n}页`), `${kind}: footer of page ${p}`);
    assert.equal(flat.split(squash(c.case_no)).length - 1 >= n, true, `${kind}: number on each of ${n} pages`);
    if (['application', 'acceptance_register', 'rights_notice', 'agreement', 'session_record'].includes(kind))
      for (const name of names) assert.ok(flat.includes(name), `${kind}: party ${name}`);
    richDocs[kind] = { doc: d, buf, text };
  }
  // the agreement: every term, numbered, the amount in words, every signature line
  const ag = squash(richDocs.agreement.text);
  for (const [i, t] of termsList.entries()) {
    const body = t.replace(/^[一二三四五六七八九十]+、/, '');
    assert.ok(ag.includes(squash(body.slice(0, 30))), `term ${i + 1}`);
  }
  assert.ok(ag.includes('十四、被申请人'), 'terms renumbered in Chinese numerals');
  assert.ok(ag.includes('壹拾万零伍仟元整'), 'payment in capital numerals');
  assert.ok(ag.includes('本协议书一式13份'), 'copies: parties + committee');
  assert.ok(ag.includes('法定代表人：王大锤') || ag.includes('法定代表人王大锤'), 'legal representative');
  assert.ok(ag.includes('委托代理人：司马律师'), 'agent');
  for (const name of names) assert.ok(ag.includes(`${name}（`), `signature line for ${name}`);
  const meds = (await mediator.get(`/api/cases/${rich}`)).json.mediators;
  for (const m of meds) assert.ok(ag.includes(`人民调解员${m.name}（签名）`), `mediator ${m.name} signs`);
  assert.ok(ag.includes('人民调解委员会（印）'), 'seal area');
  assert.ok(richDocs.agreement.doc.pages >= 3, 'long texts flow over pages');
  // the investigation and session records carry their content, the register the long facts
  assert.ok(squash(richDocs.session_record.text).includes('被申请人表示愿意分期支付'));
  assert.ok(squash(richDocs.acceptance_register.text).includes('（第60段）'), 'the whole of the facts, nothing cut off');
  assert.ok(squash(richDocs.application.text).includes('（第15段）'), 'the whole of the claims');
});

test('re-generation after a change makes a new version and keeps the old one', async () => {
  const before = richDocs.agreement.doc;
  await ev(mediator, rich, 'record_performance', { performance: 'performed', note: '已全部支付' });
  const v2 = await generate(mediator, rich, 'agreement');
  assert.equal(v2.version, 2);
  assert.notEqual(v2.id, before.id);
  const list = (await mediator.get(`/api/cases/${rich}/documents`)).json.items.find(i => i.kind === 'agreement');
  assert.deepEqual(list.versions.map(v => v.version), [2, 1]);
  assert.equal(list.versions[1].sha256, before.sha256);
  const old = await bytes(mediator, `/api/documents/${before.id}/pdf`);
  assert.equal(old.status, 200);
  assert.equal(old.headers.get('x-checksum-sha256'), before.sha256);
  const meta = await mediator.get(`/api/documents/${v2.id}`);
  assert.equal(meta.status, 200);
  assert.equal(meta.json.version, 2);
  assert.equal(meta.json.label, '人民调解协议书');
  const audit = await admin.get('/api/audit?action=generate&limit=100');
  assert.ok(audit.json.items.some(a => a.object_id === String(rich) && a.detail.kind === 'agreement' && a.detail.version === 2));
});

test('a case with missing optional fields, an oral agreement, a follow-up', async () => {
  const c = await registerCase(mediator, {
    title: '甲与乙邻里纠纷', source: 'screening', dispute_type: 'neighbour', facts: '乙家漏水。',
    parties: [{ role: 'applicant', name: '甲' }, { role: 'respondent', name: '乙' }],
  });
  await ev(mediator, c.id, 'accept');
  await ev(mediator, c.id, 'record_session', { held_on: new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10), content: '当场调解。' });
  await ev(mediator, c.id, 'agree', { form: 'oral', terms: '乙修好水管' });
  let r = await mediator.post(`/api/cases/${c.id}/documents/agreement`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /没有书面调解协议/);
  r = await mediator.post(`/api/cases/${c.id}/documents/investigation_record`);
  assert.equal(r.status, 409);
  for (const kind of ['application', 'acceptance_register', 'session_record', 'oral_agreement_register', 'rights_notice']) {
    const d = await generate(mediator, c.id, kind);
    const buf = await pdfOf(d);
    assertReadable(buf, kind);
    const flat = squash(pdfText(buf));
    assert.ok(flat.includes('甲') && flat.includes('乙'), `${kind}: parties`);
    assert.ok(flat.includes(squash(c.case_no)), `${kind}: number`);
    if (kind === 'oral_agreement_register') assert.ok(flat.includes('一、乙修好水管'), 'oral terms numbered');
    snapshot(buf, `minimal-${kind}`);
  }
  await ev(mediator, c.id, 'close');
  await ev(mediator, c.id, 'follow_up', { visited_on: new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10), method: 'visit', content: long('上门回访，水管已修好，双方关系缓和', 50), satisfaction: 4 });
  const d = await generate(mediator, c.id, 'follow_up_record');
  const buf = await pdfOf(d);
  assertReadable(buf, 'follow_up_record');
  const flat = squash(pdfText(buf));
  assert.ok(flat.includes('（第50段）') && flat.includes('4分（满意）'));
  snapshot(buf, 'minimal-follow_up_record', [1, d.pages]);
});

test('termination notice', async () => {
  const c = await registerCase(mediator, {
    title: '丙与丁合同纠纷', source: 'walk_in', dispute_type: 'contract', facts: '货款纠纷。',
    parties: [{ role: 'applicant', name: '丙某某' }, { role: 'respondent', kind: 'legal_person', name: '丁公司' }],
  });
  await ev(mediator, c.id, 'accept');
  let r = await mediator.post(`/api/cases/${c.id}/documents/termination_notice`);
  assert.equal(r.status, 409);
  await ev(mediator, c.id, 'terminate', { reason_code: 'no_agreement', reason_text: '双方对货款数额分歧较大', guidance: 'litigation' });
  const d = await generate(mediator, c.id, 'termination_notice');
  const buf = await pdfOf(d);
  assertReadable(buf, 'termination_notice');
  const flat = squash(pdfText(buf));
  for (const s of ['丙某某', '丁公司', '经调解不能达成协议', '双方对货款数额分歧较大', '依法向人民法院起诉', '第二十六条']) assert.ok(flat.includes(s), s);
  snapshot(buf, 'termination_notice');
  // referral letter and receipt need a referral on record
  r = await mediator.post(`/api/cases/${c.id}/documents/referral_letter`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /移送/);
});

test('bad input, scope and permissions', async () => {
  let r = await mediator.post(`/api/cases/${rich}/documents/nonsense`);
  assert.equal(r.status, 404);
  r = await mediator.post(`/api/cases/${rich}/documents/file_note`);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'note');
  r = await mediator.post(`/api/cases/${rich}/documents/cover`, { retention: '100年' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'retention');
  r = await mediator.post(`/api/cases/${rich}/documents/application`, { colour: 'red' });
  assert.equal(r.status, 400);
  r = await mediator.req('POST', `/api/cases/${rich}/documents/application`, '{"note":', { 'content-type': 'application/json' });
  assert.equal(r.status, 400);
  // outside the scope: 404 for the case, its documents and their files
  r = await other.get(`/api/cases/${rich}/documents`);
  assert.equal(r.status, 404);
  r = await other.post(`/api/cases/${rich}/documents/application`);
  assert.equal(r.status, 404);
  const doc = richDocs.agreement.doc;
  assert.equal((await other.get(`/api/documents/${doc.id}`)).status, 404);
  assert.equal((await bytes(other, `/api/documents/${doc.id}/pdf`)).status, 404);
  assert.equal((await other.get(`/api/cases/${rich}/case-file`)).status, 404);
  assert.equal((await bytes(other, `/api/cases/${rich}/case-file.pdf`)).status, 404);
  assert.equal((await bytes(other, `/api/files/${doc.file_id}`)).status, 404);
  // the auditor reads but never writes; a partner writes no documents
  assert.equal((await auditor.get(`/api/cases/${rich}/documents`)).status, 200);
  assert.equal((await bytes(auditor, `/api/documents/${doc.id}/pdf`)).status, 200);
  r = await auditor.post(`/api/cases/${rich}/documents/application`);
  assert.equal(r.status, 403);
  r = await partner.post(`/api/cases/${rich}/documents/application`);
  assert.ok([403, 404].includes(r.status));
  assert.equal((await mediator.get('/api/documents/999999')).status, 404);
  assert.equal((await mediator.get('/api/documents/abc')).status, 404);
  // no sign-in
  assert.equal((await fetch(`${srv.url}/api/documents/${doc.id}/pdf`)).status, 401);
});

// ---- scans: a PNG, a JPEG and a PDF made with poppler's own tools ----
async function upload(c, buf, mime, name) {
  const r = await c.req('POST', '/api/files', buf, { 'content-type': mime, 'x-filename': encodeURIComponent(name) });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}
async function attach(c, id, file, kind, title) {
  const r = await c.post(`/api/cases/${id}/attachments`, { file_id: file.id, kind, title });
  assert.equal(r.status, 200, JSON.stringify(r.json));
}

test('case file: checklist, uploads, merged PDF, submission, review and subsidy', async () => {
  let r = await mediator.get(`/api/cases/${rich}/case-file`);
  assert.equal(r.status, 200);
  let cf = r.json;
  assert.equal(cf.status, 'draft');
  assert.equal(cf.complete, false);
  assert.equal(cf.can_submit, false);
  const item = k => cf.items.find(i => i.key === k);
  assert.equal(item('application').present, true);
  assert.equal(item('agreement').present, true);
  assert.equal(item('id_proof').present, false);
  assert.equal(item('authorization').required, true, 'parties have agents');
  assert.equal(item('investigation').present, true);
  assert.equal(item('performance_proof').required, true, 'paid agreement performed');
  assert.ok(cf.missing.includes('当事人身份证明'));
  assert.ok(cf.missing.includes('卷宗封底（备考表）'));
  assert.equal(item('agreement').sources[0].version, 2, 'the latest version is filed');

  // submitting before closing: 409 naming the state
  r = await mediator.post(`/api/cases/${rich}/case-file/submit`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /调解成功/);
  await ev(mediator, rich, 'close');
  r = await mediator.post(`/api/cases/${rich}/case-file/submit`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /当事人身份证明/);
  assert.match(r.json.error.message, /授权委托书/);

  // scans: the agreement (downloaded, "signed") as a PDF, a page as PNG and as JPEG
  const signedPdf = richDocs.agreement.buf;
  const base = join(tmp, 'scan');
  execFileSync('pdftoppm', ['-r', '40', '-png', '-singlefile', '-f', '1', '-l', '1', save(richDocs.application.buf), base]);
  const png = readFileSync(base + '.png');
  execFileSync('pdftoppm', ['-r', '40', '-jpeg', '-singlefile', '-f', '1', '-l', '1', save(richDocs.rights_notice.buf), base]);
  const jpg = readFileSync(base + '.jpg');
  await attach(mediator, rich, await upload(mediator, png, 'image/png', '身份证复印件.png'), 'id_proof', '当事人身份证复印件');
  await attach(mediator, rich, await upload(mediator, jpg, 'image/jpeg', '委托书.jpg'), 'authorization', '授权委托书');
  await attach(mediator, rich, await upload(mediator, signedPdf, 'application/pdf', '签字协议.pdf'), 'signed_agreement', '签字的调解协议书');
  await attach(mediator, rich, await upload(mediator, jpg, 'image/jpeg', '转账凭证.jpg'), 'performance_proof', '工资转账凭证');
  await attach(mediator, rich, await upload(mediator, png, 'image/png', '考勤表.png'), 'evidence', '考勤记录');
  r = await mediator.get(`/api/cases/${rich}/case-file`);
  cf = r.json;
  assert.deepEqual(cf.missing, ['卷宗封底（备考表）']);
  assert.equal(item('agreement').sources.length, 1, 'the signed scan replaces the unsigned copy');
  assert.equal(item('agreement').sources[0].type, 'attachment');
  const back = await generate(mediator, rich, 'back_cover', { note: '卷内材料齐全。' });
  assertReadable(await pdfOf(back), 'back_cover');
  const cover = await generate(mediator, rich, 'cover', { retention: '永久' });
  const coverPdf = await pdfOf(cover);
  assertReadable(coverPdf, 'cover');
  const ct = squash(pdfText(coverPdf));
  for (const s of ['人民调解卷宗', '卷内目录', '序号', '文书名称', '页号', '备注', '保管期限永久', '人民调解申请书', '当事人身份证复印件']) assert.ok(ct.includes(s), `cover: ${s}`);
  snapshot(coverPdf, 'cover', [1, 2]);
  await generate(mediator, rich, 'file_note', { note: '部分当事人系外来务工人员，身份证明为复印件。' });
  cf = (await mediator.get(`/api/cases/${rich}/case-file`)).json;
  assert.equal(cf.complete, true);
  assert.equal(cf.can_submit, true);

  // the merged PDF: cover, contents, every part in order with page numbers, back cover
  const merged = await bytes(mediator, `/api/cases/${rich}/case-file.pdf`);
  assert.equal(merged.status, 200);
  const n = pdfPages(merged.buf);
  assert.equal(Number(merged.headers.get('x-pages')), n);
  const mt = squash(pdfText(merged.buf));
  for (const s of ['人民调解卷宗', '卷内目录', '保管期限永久', '人民调解申请书', '人民调解受理登记表', '当事人权利义务告知书', '人民调解调查记录', '人民调解记录', '司法确认申请指引', '卷宗情况说明', '卷内备考表', '欧阳娜娜', '十四、被申请人'])
    assert.ok(mt.includes(squash(s)), `merged: ${s}`);
  // order: application before the session record before the note before the back cover
  const at = s => mt.lastIndexOf(s);
  assert.ok(at('人民调解受理登记表') < at('人民调解调查记录') && at('人民调解调查记录') < at('卷宗情况说明') && at('卷宗情况说明') < at('卷内备考表'));
  for (let p = 1; p <= n; p++) assert.ok(ink(merged.buf, p) > 0.0005, `merged page ${p} of ${n} not blank (${ink(merged.buf, p)})`);
  snapshot(merged.buf, 'case-file', [1, 2, 3, n]);
  // the scans' pages: find the page numbers from the contents list in the merged file
  const contents = pdfText(merged.buf).split('\f')[1];
  assert.match(contents, /当事人身份证复印件/);

  // submit, then review
  r = await mediator.post(`/api/cases/${rich}/case-file/submit`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'submitted');
  assert.equal(r.json.submitted_by_name, '王德明');
  // the office finds it in one query among the files awaiting review
  r = await office.get('/api/cases?file_status=submitted&limit=100');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.some(c => c.id === rich));
  r = await office.get('/api/cases?file_status=qualified&limit=100');
  assert.ok(!r.json.items.some(c => c.id === rich));
  assert.equal((await office.get('/api/cases?file_status=lost')).status, 400);
  r = await mediator.post(`/api/cases/${rich}/case-file/submit`);
  assert.equal(r.status, 409);
  r = await mediator.post(`/api/cases/${rich}/case-file/review`, { result: 'qualified', tier: 3 });
  assert.equal(r.status, 403, 'mediators do not review');
  r = await office.post(`/api/cases/${rich}/case-file/review`, { result: 'unqualified' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'reasons');
  r = await office.post(`/api/cases/${rich}/case-file/review`, { result: 'qualified' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'tier');
  r = await office.post(`/api/cases/${rich}/case-file/review`, { result: 'qualified', tier: 5 });
  assert.equal(r.status, 400);
  r = await other.post(`/api/cases/${rich}/case-file/review`, { result: 'qualified', tier: 1 });
  assert.ok([403, 404].includes(r.status));
  r = await office.post(`/api/cases/${rich}/case-file/review`, { result: 'unqualified', reasons: '调解记录缺少当事人签名' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'unqualified');
  assert.equal(r.json.reviews[0].reasons, '调解记录缺少当事人签名');
  assert.equal(r.json.can_submit, true, 'back to the committee');
  r = await office.post(`/api/cases/${rich}/case-file/review`, { result: 'qualified', tier: 2 });
  assert.equal(r.status, 409, 'not submitted');
  r = await mediator.post(`/api/cases/${rich}/case-file/submit`);
  assert.equal(r.status, 200);
  r = await office.post(`/api/cases/${rich}/case-file/review`, { result: 'qualified', tier: 3, reasons: '材料齐全' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'qualified');
  assert.equal(r.json.tier, 3);
  const subs = r.json.subsidies;
  const meds = (await mediator.get(`/api/cases/${rich}`)).json.mediators;
  assert.equal(subs.length, meds.length);
  assert.equal(subs.reduce((a, s) => a + s.amount, 0), 30000, 'tier 3: 300 yuan in fen');
  assert.equal(subs[0].lead, true);
  if (meds.length === 3) assert.deepEqual(subs.map(s => s.amount), [18000, 6000, 6000]);
  r = await mediator.post(`/api/cases/${rich}/case-file/submit`);
  assert.equal(r.status, 409, 'qualified is final');
  r = await office.post(`/api/cases/${rich}/case-file/review`, { result: 'qualified', tier: 4 });
  assert.equal(r.status, 409);
  const audit = await admin.get('/api/audit?action=file_review&limit=10');
  assert.ok(audit.json.items.length >= 2);
});

test('subsidy settings and the ledger with its Excel export', async () => {
  let r = await mediator.get('/api/settings/subsidy');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.tier_amounts, [10000, 20000, 30000, 40000]);
  assert.equal(r.json.lead_percent, 60);
  r = await mediator.req('PUT', '/api/settings/subsidy', { lead_percent: 50 });
  assert.equal(r.status, 403);
  r = await admin.req('PUT', '/api/settings/subsidy', { tier_amounts: [10000, 5000, 30000, 40000] });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'tier_amounts[1]');
  r = await admin.req('PUT', '/api/settings/subsidy', { tier_amounts: [1, 2] });
  assert.equal(r.status, 400);
  r = await admin.req('PUT', '/api/settings/subsidy', { lead: 1 });
  assert.equal(r.status, 400);
  r = await admin.req('PUT', '/api/settings/subsidy', { tier_amounts: [15000, 25000, 35000, 50000], lead_percent: 70 });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.co_percent, 30);
  assert.deepEqual((await office.get('/api/settings/subsidy')).json.tier_amounts, [15000, 25000, 35000, 50000]);
  await admin.req('PUT', '/api/settings/subsidy', { tier_amounts: [10000, 20000, 30000, 40000], lead_percent: 60 });

  r = await bureau.get('/api/subsidies');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.length >= 1);
  assert.equal(r.json.total_amount, r.json.items.reduce((a, i) => a + i.amount, 0));
  const mine = r.json.items.filter(i => i.case_id === rich);
  assert.equal(mine.reduce((a, i) => a + i.amount, 0), 30000);
  assert.ok(r.json.by_person.length >= 1);
  const lead = mine.find(i => i.lead);
  r = await bureau.get(`/api/subsidies?person_id=${lead.person_id}`);
  assert.ok(r.json.items.every(i => i.person_id === lead.person_id));
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  r = await bureau.get(`/api/subsidies?from=${today}&to=${today}`);
  assert.equal(r.json.items.filter(i => i.case_id === rich).length, mine.length);
  r = await bureau.get('/api/subsidies?from=2000-01-01&to=2000-12-31');
  assert.equal(r.json.items.length, 0);
  r = await bureau.get('/api/subsidies?from=2025-13-01');
  assert.equal(r.status, 400);
  r = await other.get('/api/subsidies');
  assert.equal(r.json.items.filter(i => i.case_id === rich).length, 0, 'another township sees none of it');
  r = await other.get(`/api/subsidies?org_id=${mediator.user.org_id}`);
  assert.equal(r.status, 400, 'an org outside the scope');

  const x = await bytes(bureau, '/api/subsidies/export.xlsx');
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal(x.buf.subarray(0, 2).toString(), 'PK');
  const strings = unzip(x.buf, 'xl/sharedStrings.xml');
  for (const s of ['调解员', '案号', '分配金额（元）', '难易档次', '合计', lead.person_name]) assert.ok(strings.includes(s), `xlsx: ${s}`);
  const sheets = unzip(x.buf, 'xl/workbook.xml');
  assert.ok(sheets.includes('明细') && sheets.includes('汇总'));
  const audit = await admin.get('/api/audit?action=export&limit=10');
  assert.ok(audit.json.items.some(a => a.object_type === 'subsidy'));
});

// The named member of a zip archive (stored or deflated), as text.
function unzip(buf, name) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10), csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const n = buf.subarray(p + 46, p + 46 + nlen).toString();
    if (n === name) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + csize);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    p += 46 + nlen + xlen + clen;
  }
  throw new Error(`${name} not in the archive`);
}

test('referral letter and receipt from the referral on record', async () => {
  const lead = new Client(srv.url);
  if ((await lead.login('partner_lead')).status !== 200) return; // no partner lead in this demo
  const consent = await upload(partner, Buffer.from('%PDF-1.4\n% consent\n'), 'application/pdf', '同意书.pdf');
  let r = await partner.post('/api/referrals', {
    letter_no: '城关派出所〔2026〕99号', target_org_id: mediator.user.org_id, title: '周某与吴某邻里纠纷',
    dispute_type: 'neighbour', facts: '双方因宅基地边界发生争执，派出所出警后建议调解。', claims: '拆除越界围墙',
    parties: [{ role: 'applicant', name: '周某某' }, { role: 'respondent', name: '吴某某' }],
    note: '当事人双方均同意调解。', contact_name: '刘警官', contact_phone: '13900139000',
    attachments: [{ file_id: consent.id, kind: 'consent', title: '当事人同意调解书' }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const ref = r.json;
  for (const [c, action, body] of [[partner, 'submit'], [lead, 'approve', { comment: '同意移送' }], [mediator, 'receipt'], [mediator, 'accept']]) {
    r = await c.post(`/api/referrals/${ref.id}/events/${action}`, body);
    assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.json)}`);
  }
  const caseId = r.json.case.id;
  const kinds = (await mediator.get(`/api/cases/${caseId}/documents`)).json.items;
  assert.equal(kinds.find(k => k.kind === 'referral_letter').available, true);
  for (const kind of ['referral_letter', 'referral_receipt']) {
    const d = await generate(mediator, caseId, kind);
    assert.equal(d.doc_no, '城关派出所〔2026〕99号');
    const buf = await pdfOf(d);
    assertReadable(buf, kind);
    const flat = squash(pdfText(buf));
    for (const s of ['城关派出所〔2026〕99号', '周某某', '吴某某', '周某与吴某邻里纠纷']) assert.ok(flat.includes(s), `${kind}: ${s}`);
    if (kind === 'referral_letter') assert.ok(flat.includes('双方因宅基地边界发生争执') && flat.includes('刘警官'));
    if (kind === 'referral_receipt') assert.ok(flat.includes('决定受理') && flat.includes('王德明'));
    snapshot(buf, kind);
  }
});
