// The case lifecycle through the API: registration, every event, deadlines across
// real holidays, 409s naming the state, 400s naming the field, data scope,
// escalation, recusal, search, to-do and the timeline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, Client, run } from '../lib/server.mjs';

let srv, admin, mediator, office, other, partner, auditor;
let village; // the mediator's committee

const party = (role, name, extra = {}) => ({ role, name, ...extra });
const newCase = (extra = {}) => ({
  title: '张某与李某彩礼返还纠纷', source: 'walk_in', dispute_type: 'marriage_family',
  facts: '双方于2025年订婚，张某给付彩礼八万元，后解除婚约，张某要求返还彩礼，李某不同意。',
  claims: '返还彩礼八万元', amount: 8000000, people_involved: 2, place: '东关社区',
  parties: [party('applicant', '张某某', { id_number: '11010519491231002X', phone: '13800138000' }),
            party('respondent', '李某某', { phone: '0558-6012345' })],
  ...extra,
});

before(async () => {
  srv = await startServer();
  admin = new Client(srv.url); await admin.login('admin');
  mediator = new Client(srv.url); await mediator.login('mediator');
  office = new Client(srv.url); await office.login('office');
  partner = new Client(srv.url); await partner.login('partner');
  auditor = new Client(srv.url); await auditor.login('auditor');
  village = mediator.user.org_id;
  // a mediator account in another township's village
  const orgs = (await admin.get('/api/orgs?kind=committee')).json.items;
  const far = orgs.find(o => o.path.split('/').length === 5 && !o.name.startsWith('城关镇'));
  const r = run(['user', 'add', '--db', srv.db, '--login', 'far-mediator', '--org', String(far.id), '--role', 'mediator'], { input: 'Far-away-2026\n' });
  assert.equal(r.status, 0, r.stderr);
  other = new Client(srv.url); await other.login('far-mediator', 'Far-away-2026');
});
after(async () => { await srv.stop(); });

async function mediatorsOf(c, id) {
  return (await c.get(`/api/cases/${id}/suggest-mediators`)).json.items;
}

test('register → accept → assign → session → agree → follow-up → close → archive', async () => {
  let r = await mediator.post('/api/cases', newCase());
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const c = r.json;
  const year = new Date().getFullYear();
  assert.match(c.case_no, new RegExp(`^（${year}）城关镇东关社区人调字第\\d+号$`));
  assert.equal(c.status, 'registered');
  assert.equal(c.org_id, village);
  assert.equal(c.parties.length, 2);
  assert.equal(c.parties[0].id_number_masked, '110105********002X');
  assert.ok(!JSON.stringify(c).includes('11010519491231002X'), 'identity number never returned');
  assert.equal(c.parties[0].sex, 'female', 'sex from the identity number');
  assert.equal(c.parties[0].birth_date, '1949-12-31');
  assert.deepEqual(c.allowed_events.sort(), ['accept', 'assign', 'escalate', 'refuse', 'withdraw'].sort());
  const id = c.id;

  r = await mediator.post(`/api/cases/${id}/events/accept`, { accepted_on: '2025-09-25' });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'accepted');
  assert.equal(r.json.accepted_on, '2025-09-25');
  // one month after 2025-09-25 is 2025-10-25, a Saturday: moves to Monday 10-27
  assert.equal(r.json.due_on, '2025-10-27');
  const dl = r.json.deadlines.find(d => d.kind === 'mediation');
  assert.equal(dl.due_on, '2025-10-27');
  assert.equal(dl.state, 'overdue');

  const suggestions = await mediatorsOf(mediator, id);
  assert.ok(suggestions.length >= 2);
  assert.ok(suggestions[0].same_org);
  assert.ok(suggestions.every(m => Array.isArray(m.specialties)));
  const [lead, co] = suggestions;
  r = await mediator.post(`/api/cases/${id}/events/assign`, { mediator_id: lead.id, co_mediator_ids: [co.id] });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'accepted', 'assigning does not start mediation');
  assert.deepEqual(r.json.mediators.map(m => [m.person_id, m.lead]), [[lead.id, true], [co.id, false]]);

  r = await mediator.post(`/api/cases/${id}/events/agree`, { form: 'written', terms: '一、李某于十日内返还彩礼五万元。' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'conflict');
  assert.match(r.json.error.message, /已受理/);

  r = await mediator.post(`/api/cases/${id}/events/record_session`, { held_on: '2025-09-28', place: '东关社区调解室', participants: '张某某、李某某', content: '双方就彩礼返还数额进行协商，李某同意返还部分宅基地补偿款。' });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'mediating');
  assert.equal(r.json.records.length, 1);

  r = await mediator.post(`/api/cases/${id}/events/agree`, { form: 'written', terms: '一、李某于2025年10月10日前返还彩礼五万元；二、双方再无其他纠纷。', has_payment: true, amount: 5000000, performance_due: '2025-10-10', effective_on: '2025-09-30' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'agreed');
  assert.equal(r.json.agreement.amount, 5000000);
  assert.equal(r.json.resolved_level, 'village');
  const med = r.json.deadlines.find(d => d.kind === 'mediation');
  assert.equal(med.state, 'stopped');
  const jc = r.json.deadlines.find(d => d.kind === 'judicial_confirmation');
  // 30 days after 2025-09-30 is 2025-10-30 (a Thursday, a working day)
  assert.equal(jc.due_on, '2025-10-30');
  assert.ok(!r.json.deadlines.some(d => d.kind === 'feedback'), 'feedback only for referred cases');

  r = await mediator.post(`/api/cases/${id}/events/record_performance`, { performance: 'not_performed' });
  assert.equal(r.status, 200);
  assert.match(r.json.timeline.at(-1).summary, /支付令/);
  r = await mediator.post(`/api/cases/${id}/events/close`);
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'closed');
  const fu = r.json.deadlines.find(d => d.kind === 'follow_up');
  assert.ok(fu && fu.state !== 'stopped');
  r = await mediator.post(`/api/cases/${id}/events/follow_up`, { visited_on: new Date().toISOString().slice(0, 10), method: 'phone', content: '电话回访，双方表示满意。', satisfaction: 5 });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.follow_ups[0].satisfaction, 5);
  assert.equal(r.json.deadlines.find(d => d.kind === 'follow_up').state, 'stopped');
  r = await mediator.post(`/api/cases/${id}/events/archive`);
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'archived');
  assert.deepEqual(r.json.allowed_events, []);
  const events = r.json.timeline.map(e => e.event);
  assert.deepEqual(events, ['register', 'accept', 'assign', 'record_session', 'agree', 'record_performance', 'close', 'follow_up', 'archive']);
  assert.ok(r.json.timeline.every(e => e.actor_name && e.summary && e.at));
  r = await mediator.post(`/api/cases/${id}/events/accept`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /已归档/);
  assert.equal(r.json.error.state, 'archived');
});

test('a referred case: 15 days, extension with a reason up to 30, feedback in working days', async () => {
  let r = await office.post('/api/cases', newCase({ source: 'referral', title: '王某与赵某邻里纠纷', dispute_type: 'neighbour', org_id: village }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = r.json.id;
  assert.equal(r.json.is_referral, true);
  // accepted on 2025-09-22: +15 days = 2025-10-07, inside the National Day holiday → 10-09
  r = await office.post(`/api/cases/${id}/events/accept`, { accepted_on: '2025-09-22' });
  assert.equal(r.json.due_on, '2025-10-09');
  r = await office.post(`/api/cases/${id}/events/extend`, { due_on: '2025-10-20' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'reason');
  r = await office.post(`/api/cases/${id}/events/extend`, { due_on: '2025-10-30', reason: '需等待鉴定结果' });
  assert.equal(r.status, 400, 'more than 30 days after acceptance');
  assert.equal(r.json.error.field, 'due_on');
  r = await office.post(`/api/cases/${id}/events/extend`, { due_on: '2025-10-20', reason: '需等待鉴定结果' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.due_on, '2025-10-20');
  r = await office.post(`/api/cases/${id}/events/terminate`, { reason_code: 'no_agreement', reason_text: '双方分歧较大', guidance: 'litigation' });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'terminated');
  assert.equal(r.json.termination.guidance, 'litigation');
  const fb = r.json.deadlines.find(d => d.kind === 'feedback');
  assert.ok(fb, 'feedback deadline for a referral');
  assert.equal(fb.started_on, new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10));
});

test('a non-referred case extends only with both parties consent', async () => {
  let r = await mediator.post('/api/cases', newCase());
  const id = r.json.id;
  await mediator.post(`/api/cases/${id}/events/accept`, { accepted_on: '2026-01-05' });
  r = await mediator.post(`/api/cases/${id}/events/extend`, { due_on: '2026-03-01', reason: '当事人外出务工' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'parties_consent');
  r = await mediator.post(`/api/cases/${id}/events/extend`, { due_on: '2026-03-01', reason: '当事人外出务工', parties_consent: true });
  assert.equal(r.status, 200);
  assert.equal(r.json.due_on, '2026-03-02', '2026-03-01 is a Sunday');
});

test('bad input: each field named, nothing half-written', async () => {
  const before = (await mediator.get('/api/cases?limit=1')).json.total;
  const bad = [
    [{ ...newCase(), title: '' }, 'title'],
    [{ ...newCase(), dispute_type: 'quarrel' }, 'dispute_type'],
    [{ ...newCase(), amount: -5 }, 'amount'],
    [{ ...newCase(), amount: 1.5 }, 'amount'],
    [{ ...newCase(), flags: ['mass', 'mass'] }, 'flags[1]'],
    [{ ...newCase(), parties: [party('applicant', '张三')] }, 'parties'],
    [{ ...newCase(), parties: [party('applicant', '张三'), party('third_party', '王五')] }, 'parties'],
    [{ ...newCase(), parties: [party('applicant', '张三', { id_number: '110105194912310021' }), party('respondent', '李四')] }, 'parties[0].id_number'],
    [{ ...newCase(), parties: [party('applicant', '张三'), party('respondent', '李四', { phone: '12345' })] }, 'parties[1].phone'],
    [{ ...newCase(), parties: [party('applicant', '张三'), party('respondent', '某公司', { kind: 'legal_person', credit_code: '91350100M000100Y4X' })] }, 'parties[1].credit_code'],
    [{ ...newCase(), parties: [party('applicant', '张三', { hobby: 'chess' }), party('respondent', '李四')] }, 'parties[0].hobby'],
    [{ ...newCase(), occurred_on: '2099-01-01' }, 'occurred_on'],
  ];
  for (const [body, field] of bad) {
    const r = await mediator.post('/api/cases', body);
    assert.equal(r.status, 400, field + ' ' + JSON.stringify(r.json));
    assert.equal(r.json.error.field, field);
  }
  assert.equal((await mediator.get('/api/cases?limit=1')).json.total, before, 'nothing was written');
  const c = (await mediator.post('/api/cases', newCase())).json;
  let r = await mediator.post(`/api/cases/${c.id}/events/refuse`, {});
  assert.equal(r.json.error.field, 'reason');
  r = await mediator.post(`/api/cases/${c.id}/events/fly`, {});
  assert.equal(r.status, 404);
  r = await mediator.post(`/api/cases/${c.id}/events/accept`, { accepted_on: '2099-01-01' });
  assert.equal(r.json.error.field, 'accepted_on');
  assert.equal((await mediator.get(`/api/cases/${c.id}`)).json.status, 'registered');
});

test('scope: other townships, partners and auditors', async () => {
  const c = (await mediator.post('/api/cases', newCase())).json;
  assert.equal((await other.get(`/api/cases/${c.id}`)).status, 404);
  assert.equal((await other.post(`/api/cases/${c.id}/events/accept`)).status, 404);
  assert.ok(!(await other.get('/api/cases?limit=100')).json.items.some(x => x.id === c.id));
  assert.equal((await partner.get(`/api/cases/${c.id}`)).status, 404, 'partners see only what they referred');
  assert.equal((await partner.get('/api/cases')).json.total, 0);
  const seen = await auditor.get(`/api/cases/${c.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.json.writable, false, 'an auditor reads but never acts');
  assert.equal((await mediator.get(`/api/cases/${c.id}`)).json.writable, true);
  assert.equal((await auditor.post(`/api/cases/${c.id}/events/accept`)).status, 403);
  assert.equal((await office.get(`/api/cases/${c.id}`)).status, 200, 'the township office sees its villages');
  assert.equal((await admin.get(`/api/cases/${c.id}`)).status, 200);
});

test('escalation to the township keeps the village reading, moves the handling', async () => {
  const c = (await mediator.post('/api/cases', newCase({ title: '村民集体土地承包纠纷', dispute_type: 'forest_land', flags: ['mass'], people_involved: 35 }))).json;
  const orgs = (await mediator.get('/api/orgs')).json.items;
  const me = orgs.find(o => o.id === village);
  const townCommittee = (await admin.get('/api/orgs?kind=committee')).json.items.find(o => o.name === '城关镇人民调解委员会');
  let r = await mediator.post(`/api/cases/${c.id}/events/escalate`, { org_id: other.user.org_id, reason: '涉及多村' });
  assert.equal(r.status, 400, 'not an ancestor');
  const office1 = orgs.find(o => o.id === me.parent_id);
  r = await mediator.post(`/api/cases/${c.id}/events/escalate`, { org_id: office1.id, reason: '涉及人数众多，本村无法化解' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.org_id, office1.id);
  assert.equal(r.json.registered_org_id, village);
  assert.equal(r.json.status, 'registered');
  assert.equal(r.json.flags[0], 'mass');
  r = await mediator.post(`/api/cases/${c.id}/events/accept`);
  assert.equal(r.status, 403, 'the village now only reads it');
  assert.equal((await mediator.get(`/api/cases/${c.id}`)).status, 200);
  r = await office.post(`/api/cases/${c.id}/events/accept`);
  assert.equal(r.status, 200);
  assert.ok(townCommittee);
});

test('recusal removes the mediator and asks for a new lead', async () => {
  const c = (await mediator.post('/api/cases', newCase())).json;
  const [a, b] = await mediatorsOf(mediator, c.id);
  await mediator.post(`/api/cases/${c.id}/events/assign`, { mediator_id: a.id, co_mediator_ids: [b.id] });
  let r = await mediator.post(`/api/cases/${c.id}/recuse`, { person_id: a.id, reason: '申请人称该调解员系被申请人亲属' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.mediators.map(m => m.person_id), [b.id]);
  assert.equal(r.json.lead_mediator_id, null);
  assert.match(r.json.timeline.at(-1).summary, /回避/);
  r = await mediator.post(`/api/cases/${c.id}/recuse`, { person_id: a.id, reason: 'again' });
  assert.equal(r.status, 400);
});

test('two-character Chinese search, filters, keyset pagination', async () => {
  await mediator.post('/api/cases', newCase({ title: '刘某与陈某宅基地边界纠纷', dispute_type: 'housing_homestead', facts: '双方因宅基地界址发生争执，刘某砌墙占用陈某宅基约一米。', claims: '拆除围墙' }));
  let r = await mediator.get('/api/cases?q=' + encodeURIComponent('宅基'));
  assert.ok(r.json.total >= 1);
  assert.ok(r.json.items.every(x => /宅基/.test(x.title) || true));
  assert.ok(r.json.items.some(x => x.title.includes('宅基地')));
  r = await mediator.get('/api/cases?q=' + encodeURIComponent('彩礼'));
  assert.ok(r.json.items.length >= 1 && r.json.items.every(x => !x.title.includes('宅基地边界')));
  r = await mediator.get('/api/cases?q=' + encodeURIComponent('"彩礼" OR 1=1'));
  assert.equal(r.status, 200, 'FTS syntax in user input is harmless');
  r = await mediator.get('/api/cases?q=' + encodeURIComponent('！！'));
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'q');
  r = await mediator.get('/api/cases?dispute_type=housing_homestead');
  assert.ok(r.json.items.every(x => x.dispute_type === 'housing_homestead'));
  r = await mediator.get('/api/cases?status=bogus');
  assert.equal(r.status, 400);
  r = await mediator.get('/api/cases?status=' + encodeURIComponent("accepted' OR '1'='1"));
  assert.equal(r.status, 400, 'the status goes into the SQL text only once the dictionary knows it');
  assert.equal(r.json.error.field, 'status');
  const acc = (await mediator.get('/api/cases?status=accepted&limit=100')).json;
  assert.ok(acc.items.length > 0 && acc.items.every(x => x.status === 'accepted'));
  // keyset pagination walks every case exactly once
  const total = (await mediator.get('/api/cases?limit=1')).json.total;
  const seen = new Set();
  let cursor = '';
  for (let i = 0; i < 100; i++) {
    r = await mediator.get('/api/cases?limit=2' + (cursor ? '&cursor=' + cursor : ''));
    for (const x of r.json.items) { assert.ok(!seen.has(x.id)); seen.add(x.id); }
    if (!r.json.next_cursor) break;
    cursor = r.json.next_cursor;
  }
  assert.equal(seen.size, total);
  const ids = [...seen];
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  r = await mediator.get('/api/cases?sort=due&limit=100');
  const dues = r.json.items.map(x => x.due_on || '9999-12-31');
  assert.deepEqual(dues, [...dues].sort());
});

test('to-do list shows overdue deadlines of my cases and cases awaiting acceptance', async () => {
  const c = (await mediator.post('/api/cases', newCase())).json;
  await mediator.post(`/api/cases/${c.id}/events/accept`, { accepted_on: '2025-01-02' });
  const [a] = await mediatorsOf(mediator, c.id);
  let r = await mediator.get('/api/todo?scope=org');
  assert.equal(r.status, 200);
  assert.ok(r.json.deadlines.some(d => d.id === c.id && d.kind === 'mediation' && d.state === 'overdue'));
  assert.ok(r.json.counts.overdue >= 1);
  assert.ok(r.json.awaiting_acceptance.length >= 1);
  r = await mediator.get('/api/todo?scope=mine');
  assert.equal(r.json.scope, 'mine');
  assert.ok(!r.json.deadlines.some(d => d.id === c.id), 'not mine until I am a mediator on it');
  assert.ok(a);
  r = await mediator.get('/api/cases?overdue=1');
  assert.ok(r.json.items.some(x => x.id === c.id && x.overdue));
  assert.equal((await other.get('/api/todo?scope=org')).json.deadlines.some(d => d.id === c.id), false);
});

test('deadline lengths are administrator settings', async () => {
  let r = await admin.get('/api/settings/deadlines');
  assert.equal(r.json.mediation_referral_days, 15);
  assert.equal(r.json.labels.mediation_referral_days, '移送案件调解期限（日）');
  r = await mediator.req('PUT', '/api/settings/deadlines', { mediation_referral_days: 10 });
  assert.equal(r.status, 403);
  r = await admin.req('PUT', '/api/settings/deadlines', { mediation_referral_days: 40 });
  assert.equal(r.status, 400, 'more than the 30-day maximum');
  r = await admin.req('PUT', '/api/settings/deadlines', { mediation_referral_days: 'ten' });
  assert.equal(r.json.error.field, 'mediation_referral_days');
  r = await admin.req('PUT', '/api/settings/deadlines', { speed_of_light: 1 });
  assert.equal(r.json.error.code, 'unknown_field');
  r = await admin.req('PUT', '/api/settings/deadlines', { mediation_referral_days: 10 });
  assert.equal(r.status, 200);
  assert.equal(r.json.mediation_referral_days, 10);
  const c = (await office.post('/api/cases', newCase({ source: 'referral', org_id: village }))).json;
  // accepted Monday 2026-03-02: +10 days = Thursday 2026-03-12
  r = await office.post(`/api/cases/${c.id}/events/accept`, { accepted_on: '2026-03-02' });
  assert.equal(r.json.due_on, '2026-03-12');
  await admin.req('PUT', '/api/settings/deadlines', { mediation_referral_days: 15 });
});

test('scans: upload, type check by content, attach, download with checksum, scope', async () => {
  const c = (await mediator.post('/api/cases', newCase())).json;
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const up = async (cl, body, type, name) => {
    const r = await fetch(srv.url + '/api/files', { method: 'POST', body, headers: { 'content-type': type, 'x-filename': encodeURIComponent(name), cookie: cl.cookie, 'x-csrf-token': cl.csrf } });
    return { status: r.status, json: await r.json() };
  };
  let r = await up(mediator, Buffer.from('MZ\x90\x00 not a pdf'), 'application/pdf', 'virus.pdf');
  assert.equal(r.status, 415);
  r = await up(mediator, pdf, 'image/png', 'x.png');
  assert.equal(r.status, 415, 'declared type must match the content');
  r = await up(mediator, pdf, 'application/pdf', '签字协议书.pdf');
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const file = r.json;
  assert.equal(file.name, '签字协议书.pdf');
  assert.equal(file.size, pdf.length);
  assert.match(file.sha256, /^[0-9a-f]{64}$/);
  r = await mediator.post(`/api/cases/${c.id}/attachments`, { file_id: file.id, kind: 'signed_agreement', title: '双方签字的调解协议书' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.attachments.length, 1);
  assert.equal(r.json.attachments[0].file_name, '签字协议书.pdf');
  assert.match(r.json.timeline.at(-1).summary, /添加材料/);
  const dl = await fetch(srv.url + '/api/files/' + file.id, { headers: { cookie: office.cookie } });
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('content-type'), 'application/pdf');
  assert.equal(dl.headers.get('x-checksum-sha256'), file.sha256);
  assert.match(dl.headers.get('content-disposition'), /filename\*=UTF-8''%E7%AD%BE/);
  assert.deepEqual(Buffer.from(await dl.arrayBuffer()), pdf);
  assert.equal((await other.get('/api/files/' + file.id)).status, 404, 'another township cannot read it');
  r = await other.post(`/api/cases/${c.id}/attachments`, { file_id: file.id, kind: 'evidence', title: 'x' });
  assert.equal(r.status, 404);
  // over the 20 MiB upload limit: refused from the Content-Length, before the body is read
  const head = await new Promise((resolve, reject) => {
    const s = net.connect(srv.port, '127.0.0.1');
    let out = '';
    s.on('data', d => { out += d; if (out.includes('\r\n\r\n')) { s.destroy(); resolve(out); } });
    s.on('error', reject);
    s.write(`POST /api/files HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\nContent-Length: ${21 * 1024 * 1024}\r\nCookie: ${mediator.cookie}\r\nX-CSRF-Token: ${mediator.csrf}\r\n\r\n%PDF-`);
  });
  assert.match(head, /^HTTP\/1\.1 413/);
});
