// Referral docking (访调/公调/诉调/检调对接) through the API: a partner drafts, its lead
// approves, the committee receives, accepts (the case is registered) or returns, a
// disputed return goes to consultation, feedback goes back when the case ends, the
// partner acknowledges; deadlines across a real holiday, to-do lists on both sides,
// partner systems with API tokens on every channel, statistics, bad input and scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';

let srv, admin, partner, lead, mediator, office, auditor, petition;
let village, township, police, orgsByType = {};
const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
let letterSeq = 0;

const PDF = (tag = '') => new TextEncoder().encode(`%PDF-1.4\n% ${tag} ${Math.random()}\n%%EOF\n`);

const draft = (extra = {}) => ({
  letter_no: `城关派出所〔2026〕${++letterSeq}号`,
  target_org_id: village,
  title: '张某与李某邻里纠纷',
  dispute_type: 'neighbour',
  facts: '双方因宅基地边界发生争执，经民警现场处置，双方同意由人民调解委员会调解。',
  claims: '拆除越界围墙',
  place: '东关社区',
  parties: [
    { role: 'applicant', kind: 'person', name: '张某某', id_number: '11010519491231002X', phone: '13800138000' },
    { role: 'respondent', kind: 'person', name: '李某某', phone: '0558-6012345' },
  ],
  note: '当事人双方均同意调解，请予受理。',
  contact_name: '刘警官', contact_phone: '13900139000',
  ...extra,
});

// Upload a file through /api/files as a session user; returns the file object.
async function upload(cl, bytes = PDF(), name = '同意调解书.pdf', type = 'application/pdf') {
  const r = await fetch(srv.url + '/api/files', {
    method: 'POST', body: bytes,
    headers: { 'content-type': type, 'x-filename': encodeURIComponent(name), cookie: cl.cookie, 'x-csrf-token': cl.csrf },
  });
  assert.equal(r.status, 201, await r.clone().text());
  return r.json();
}

// A draft with its consent attached, submitted and approved: status sent.
async function sent(extra = {}, by = partner, approver = lead) {
  let r = await by.post('/api/referrals', draft(extra));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = r.json.id;
  const f = await upload(by);
  r = await by.post(`/api/referrals/${id}/attachments`, { file_id: f.id, kind: 'consent', title: '当事人同意调解书' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  r = await approver.post(`/api/referrals/${id}/events/approve`, { comment: '同意移送' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'sent');
  return r.json;
}

async function tokenFor(orgId, role = 'partner_lead') {
  const r = await admin.post('/api/tokens', { name: `系统对接-${orgId}-${role}`, org_id: orgId, role });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const c = new Client(srv.url);
  c.bearer = r.json.token;
  return c;
}

before(async () => {
  srv = await startServer();
  admin = new Client(srv.url); await admin.login('admin');
  partner = new Client(srv.url); await partner.login('partner');
  lead = new Client(srv.url); assert.equal((await lead.login('partner_lead')).status, 200);
  mediator = new Client(srv.url); await mediator.login('mediator');
  office = new Client(srv.url); await office.login('office');
  auditor = new Client(srv.url); await auditor.login('auditor');
  village = mediator.user.org_id;
  police = partner.user.org_id;
  const orgs = (await admin.get('/api/orgs')).json.items;
  for (const o of orgs) if (o.kind === 'partner') (orgsByType[o.partner_type] ||= []).push(o);
  township = orgs.find(o => o.kind === 'committee' && o.parent_id === office.user.org_id && o.level === 'township');
  assert.ok(township, 'the township committee');
  // a user of another partner agency (the petition bureau)
  const r = await admin.post('/api/users', { login: 'xfj', name: '信访局王科长', org_id: orgsByType.petition[0].id, role: 'partner', password: 'Xinfang-2026-ok' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  petition = new Client(srv.url); await petition.login('xfj', 'Xinfang-2026-ok');
});
after(async () => { await srv.stop(); });

test('the partner lead is a role of its own, only on partner orgs', async () => {
  assert.equal(lead.user.role, 'partner_lead');
  assert.equal(lead.user.org_id, police);
  const me = (await lead.get('/api/auth/me')).json;
  assert.ok(me.permissions.includes('referral.approve'));
  assert.ok(me.permissions.includes('webhook.manage'));
  const pm = (await partner.get('/api/auth/me')).json;
  assert.ok(!pm.permissions.includes('referral.approve'));
  assert.ok(pm.permissions.includes('referral.write'));
  const r = await admin.post('/api/users', { login: 'lead-wrong', name: '错', org_id: village, role: 'partner_lead', password: 'Wrong-place-2026' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'role');
  const d = (await admin.get('/api/dicts')).json;
  assert.ok(d.role.some(x => x.value === 'partner_lead' && x.label === '对接单位负责人'));
  assert.ok(d.referral_status.some(x => x.value === 'awaiting_approval'));
  assert.deepEqual(d.referral_channel.map(x => x.value), ['petition', 'police', 'court', 'procuratorate', 'admin']);
  assert.deepEqual(d.return_reason.map(x => x.value), ['out_of_scope', 'party_refused', 'already_mediated', 'other']);
});

test('police referral: draft → consent → approval → receipt → accept (case) → agreement → feedback → acknowledgement', async () => {
  // 1. the partner drafts; the identity number is sealed at once
  let r = await partner.post('/api/referrals', draft());
  assert.equal(r.status, 201, JSON.stringify(r.json));
  let ref = r.json;
  const id = ref.id;
  assert.equal(ref.status, 'draft');
  assert.equal(ref.channel, 'police', 'the channel comes from the partner type');
  assert.equal(ref.channel_label, '公调对接');
  assert.equal(ref.partner_org_id, police);
  assert.equal(ref.target_org_id, village);
  assert.equal(ref.dispute.parties[0].id_number_masked, '110105********002X');
  assert.ok(!JSON.stringify(ref).includes('11010519491231002X'), 'identity number never returned');
  assert.ok(!JSON.stringify(ref).includes('id_sealed'));
  assert.deepEqual(ref.allowed_actions.sort(), ['cancel', 'submit']);
  assert.equal(ref.editable, true);
  assert.equal(ref.accept.due_on, null);
  // drafts stay with the partner
  assert.equal((await mediator.get(`/api/referrals/${id}`)).status, 404);
  assert.equal((await office.get(`/api/referrals/${id}`)).status, 404);
  assert.equal((await admin.get(`/api/referrals/${id}`)).status, 404);
  assert.equal((await lead.get(`/api/referrals/${id}`)).status, 200, 'the lead of the same org sees it');
  assert.ok(!(await mediator.get('/api/referrals')).json.items.some(x => x.id === id));

  // 2. edit the draft: a masked id number sent back keeps the stored one
  const parties = ref.dispute.parties.map(p => ({ ...p, id_number: p.id_number_masked, id_number_masked: undefined }));
  parties.forEach(p => { delete p.id_number_masked; if (!p.id_number) delete p.id_number; });
  r = await partner.patch(`/api/referrals/${id}`, { title: '张某与李某宅基地边界纠纷', parties });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.title, '张某与李某宅基地边界纠纷');
  assert.equal(r.json.dispute.parties[0].id_number_masked, '110105********002X');
  r = await partner.patch(`/api/referrals/${id}`, { parties: [{ ...parties[0], id_number: '110105********0021' }, parties[1]] });
  assert.equal(r.status, 400, 'a masked number that is not the stored one');
  assert.equal(r.json.error.field, 'parties[0].id_number');

  // 3. submitting needs the party's written consent
  r = await partner.post(`/api/referrals/${id}/events/submit`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /同意调解/);
  const consent = await upload(partner, PDF('consent'), '张某某同意调解书.pdf');
  r = await partner.post(`/api/referrals/${id}/attachments`, { file_id: consent.id, kind: 'consent', title: '当事人同意调解书' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const letter = await upload(partner, PDF('letter'), '移送函.pdf');
  r = await partner.post(`/api/referrals/${id}/attachments`, { file_id: letter.id, kind: 'referral_letter', title: '移送函' });
  assert.equal(r.json.attachments.length, 2);
  r = await partner.del(`/api/referrals/${id}/attachments/${r.json.attachments[1].id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.attachments.length, 1);
  // another account's upload cannot be attached
  const foreign = await upload(mediator, PDF('foreign'));
  r = await partner.post(`/api/referrals/${id}/attachments`, { file_id: foreign.id, kind: 'evidence', title: '证据' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'file_id');

  r = await partner.post(`/api/referrals/${id}/events/submit`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'awaiting_approval');
  assert.equal(r.json.editable, false);
  r = await partner.patch(`/api/referrals/${id}`, { title: '改不了' });
  assert.equal(r.status, 409);
  // 4. only the lead approves (审签); the approval queue is on its to-do list
  r = await partner.post(`/api/referrals/${id}/events/approve`);
  assert.equal(r.status, 403);
  let todo = (await lead.get('/api/todo')).json;
  assert.ok(todo.referrals.items.some(x => x.id === id && x.task === 'approve'), JSON.stringify(todo.referrals));
  r = await lead.get('/api/referrals?status=awaiting_approval');
  assert.ok(r.json.items.some(x => x.id === id));
  r = await lead.post(`/api/referrals/${id}/events/approve`, { comment: '同意移送东关社区调委会' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  ref = r.json;
  assert.equal(ref.status, 'sent');
  assert.equal(ref.approved_by_name, '张所长');
  assert.equal(ref.accept.sent_on, today);
  assert.equal(ref.accept.received_on, today);
  assert.ok(ref.accept.due_on > today);
  assert.ok(['open', 'due_soon'].includes(ref.accept.state));
  assert.ok(ref.accept.days_left >= 3);

  // 5. the committee's inbox with the 3-day countdown
  r = await mediator.get('/api/referrals?status=sent,received');
  const inbox = r.json.items.find(x => x.id === id);
  assert.ok(inbox, 'in the committee inbox');
  assert.equal(inbox.accept.due_on, ref.accept.due_on);
  assert.equal(typeof inbox.accept.days_left, 'number');
  todo = (await mediator.get('/api/todo')).json;
  const item = todo.referrals.items.find(x => x.id === id);
  assert.equal(item.task, 'accept_or_return');
  assert.equal(item.due_on, ref.accept.due_on);
  assert.equal(item.own, true);
  // the partner sees the same countdown, not as its own task
  todo = (await partner.get('/api/todo')).json;
  assert.equal(todo.referrals.items.find(x => x.id === id).task, 'await_decision');
  r = await mediator.get(`/api/referrals/${id}`);
  assert.deepEqual(r.json.allowed_actions.sort(), ['accept', 'receipt', 'return']);
  assert.equal(r.json.attachments[0].kind_label, '当事人同意调解书');
  // the committee reads the partner's materials through the referral
  let dl = await fetch(`${srv.url}/api/referrals/${id}/files/${consent.id}`, { headers: { cookie: mediator.cookie } });
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('x-checksum-sha256'), consent.sha256);
  dl = await fetch(`${srv.url}/api/referrals/${id}/files/${letter.id}`, { headers: { cookie: mediator.cookie } });
  assert.equal(dl.status, 404, 'a detached file is not the referral’s');

  // 6. receipt (回执), then acceptance registers the case
  r = await partner.post(`/api/referrals/${id}/events/receipt`);
  assert.equal(r.status, 403, 'the partner cannot sign the receipt');
  r = await mediator.post(`/api/referrals/${id}/events/receipt`, { note: '已收到移送函及材料' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'received');
  assert.equal(r.json.accept.received, true);
  assert.equal(r.json.accept.receipt_by_name, '王德明');
  r = await partner.post(`/api/referrals/${id}/events/accept`);
  assert.equal(r.status, 403);
  r = await mediator.post(`/api/referrals/${id}/events/accept`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  ref = r.json;
  assert.equal(ref.status, 'accepted');
  assert.equal(ref.accept.decided_on, today);
  assert.equal(ref.accept.timeliness, 'on_time');
  assert.ok(ref.case && ref.case.id, 'the case is linked');
  assert.deepEqual(ref.allowed_actions, [], 'no feedback before the case has an outcome');
  const caseId = ref.case.id;
  let c = (await mediator.get(`/api/cases/${caseId}`)).json;
  assert.equal(c.source, 'referral');
  assert.equal(c.is_referral, true);
  assert.equal(c.status, 'accepted');
  assert.equal(c.referrer_org_id, police);
  assert.equal(c.referral.id, id);
  assert.equal(c.referral.partner_org_name, partner.user.org_name);
  assert.equal(c.parties[0].id_number_masked, '110105********002X', 'the sealed number reached the case');
  assert.equal(c.attachments.length, 1, 'the consent was copied to the case');
  assert.equal(c.attachments[0].kind, 'consent');
  assert.ok(c.deadlines.some(d => d.kind === 'mediation'));
  // the partner follows its case
  r = await partner.get(`/api/cases/${caseId}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.writable, false);
  assert.equal((await petition.get(`/api/cases/${caseId}`)).status, 404, 'another partner does not');

  // 7. the case ends with a written agreement: feedback is due in 5 working days
  r = await mediator.get(`/api/referrals/${id}/feedback-draft`);
  assert.equal(r.status, 409, 'nothing to report yet');
  r = await mediator.post(`/api/cases/${caseId}/events/record_session`, { held_on: today, content: '双方当面协商，同意按原边界重建围墙。' });
  assert.equal(r.status, 200);
  r = await mediator.post(`/api/cases/${caseId}/events/agree`, { form: 'written', terms: '一、李某某于十日内拆除越界围墙；二、双方再无争议。' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const fbDeadline = r.json.deadlines.find(d => d.kind === 'feedback');
  assert.ok(fbDeadline);
  const wd = (await admin.get(`/api/calendar/add-workdays?date=${today}&days=5`)).json.date;
  assert.equal(fbDeadline.due_on, wd, 'feedback: 5 working days after the agreement');
  todo = (await mediator.get('/api/todo')).json;
  assert.equal(todo.referrals.items.find(x => x.id === id).task, 'send_feedback');
  todo = (await partner.get('/api/todo')).json;
  assert.equal(todo.referrals.items.find(x => x.id === id).task, 'await_feedback');
  r = await mediator.get(`/api/referrals/${id}/feedback-draft`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.outcome, 'agreed');
  assert.equal(r.json.written_agreement, true);
  assert.equal(r.json.due_on, wd);
  assert.match(r.json.text, /达成书面调解协议/);
  assert.match(r.json.text, /拆除越界围墙/);
  const text = r.json.text;
  r = await mediator.post(`/api/referrals/${id}/events/feedback`, { text });
  assert.equal(r.status, 400, 'a written agreement goes with the feedback');
  assert.equal(r.json.error.field, 'file_ids');
  const signed = await upload(mediator, PDF('agreement'), '调解协议书.pdf');
  r = await mediator.post(`/api/cases/${caseId}/attachments`, { file_id: signed.id, kind: 'signed_agreement', title: '调解协议书（签字）' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  r = await mediator.get(`/api/referrals/${id}/feedback-draft`);
  const sug = r.json.files.find(f => f.file_id === signed.id);
  assert.equal(sug.suggested, true);
  r = await mediator.post(`/api/referrals/${id}/events/feedback`, { text, file_ids: [signed.id] });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  ref = r.json;
  assert.equal(ref.status, 'feedback_sent');
  assert.equal(ref.feedback.sent, true);
  assert.equal(ref.feedback.outcome, 'agreed');
  assert.equal(ref.feedback.timeliness, 'on_time');
  assert.equal(ref.feedback.due_on, wd);
  c = (await mediator.get(`/api/cases/${caseId}`)).json;
  assert.equal(c.deadlines.find(d => d.kind === 'feedback').state, 'stopped', 'feedback sent stops the deadline');

  // 8. the partner reads the feedback and its agreement, and acknowledges
  r = await partner.get(`/api/referrals/${id}`);
  assert.equal(r.json.feedback.text, text);
  const fbFile = r.json.attachments.find(a => a.side === 'committee');
  assert.equal(fbFile.file_id, signed.id);
  assert.equal(fbFile.kind, 'agreement');
  dl = await fetch(`${srv.url}/api/referrals/${id}/files/${signed.id}`, { headers: { cookie: partner.cookie } });
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('x-checksum-sha256'), signed.sha256);
  todo = (await partner.get('/api/todo')).json;
  assert.equal(todo.referrals.items.find(x => x.id === id).task, 'acknowledge');
  r = await mediator.post(`/api/referrals/${id}/events/acknowledge`);
  assert.equal(r.status, 403);
  r = await partner.post(`/api/referrals/${id}/events/acknowledge`, { note: '已收悉' });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'acknowledged');
  assert.deepEqual(r.json.allowed_actions, []);
  assert.deepEqual(r.json.timeline.map(e => e.event),
    ['create', 'update', 'attach', 'attach', 'detach', 'submit', 'approve', 'receipt', 'accept', 'feedback', 'acknowledge']);
  assert.ok(r.json.timeline.every(e => e.label && e.summary && e.at));

  // 9. a joint follow-up visit with the referring agency
  r = await mediator.post(`/api/cases/${caseId}/events/close`);
  assert.equal(r.status, 200);
  r = await mediator.post(`/api/cases/${caseId}/events/follow_up`, { visited_on: today, method: 'visit', content: '与城关派出所民警共同回访，围墙已拆除。', joint_with_referrer: true });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.follow_ups[0].joint_org_id, police);
  assert.match(r.json.timeline.at(-1).summary, /联合回访/);

  // 10. every write is audited
  const audit = (await admin.get(`/api/audit?object_type=referral&limit=50`)).json.items.filter(e => e.object_id === String(id));
  assert.deepEqual(audit.map(e => e.action).reverse(),
    ['create', 'update', 'attach', 'attach', 'detach', 'submit', 'approve', 'receipt', 'accept', 'feedback', 'acknowledge']);
  assert.ok(!JSON.stringify(audit).includes('11010519491231002X'));
});

test('the 3-day period across the National Day holiday, on time and late', async () => {
  // the letter was handed over with the parties on Tue 2025-09-30: +3 days = 10-03,
  // inside the holiday (10/1–8) → the period ends on Thu 2025-10-09
  const a = await sent({ letter_date: '2025-09-29' });
  let r = await mediator.post(`/api/referrals/${a.id}/events/receipt`, { received_on: '2025-09-28' });
  assert.equal(r.status, 400, 'not before the letter');
  assert.equal(r.json.error.field, 'received_on');
  r = await mediator.post(`/api/referrals/${a.id}/events/receipt`, { received_on: '2099-01-01' });
  assert.equal(r.status, 400, 'not after it reached the committee in the system');
  r = await mediator.post(`/api/referrals/${a.id}/events/receipt`, { received_on: '2025-09-30' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.accept.received_on, '2025-09-30');
  assert.equal(r.json.accept.due_on, '2025-10-09');
  assert.equal(r.json.accept.state, 'overdue');
  assert.equal(r.json.accept.timeliness, 'overdue');
  r = await mediator.get('/api/referrals?overdue=1');
  assert.ok(r.json.items.some(x => x.id === a.id));
  r = await mediator.post(`/api/referrals/${a.id}/events/accept`, { accepted_on: '2025-09-29' });
  assert.equal(r.status, 400, 'not before receipt');
  assert.equal(r.json.error.field, 'accepted_on');
  r = await mediator.post(`/api/referrals/${a.id}/events/accept`, { accepted_on: '2025-10-09' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.accept.timeliness, 'on_time', 'accepted on the last day after the holiday');
  const c = (await mediator.get(`/api/cases/${r.json.case.id}`)).json;
  assert.equal(c.accepted_on, '2025-10-09');
  // 15 days after 2025-10-09 is Fri 10-24
  assert.equal(c.due_on, '2025-10-24');

  const b = await sent({ letter_date: '2025-09-30' });
  r = await mediator.post(`/api/referrals/${b.id}/events/receipt`, { received_on: '2025-09-30' });
  assert.equal(r.json.accept.due_on, '2025-10-09');
  r = await mediator.post(`/api/referrals/${b.id}/events/return`, { reason_code: 'already_mediated', reason_text: '该纠纷已由社区调解过', returned_on: '2025-10-10' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'returned');
  assert.equal(r.json.accept.timeliness, 'late');
  assert.equal(r.json.return_reason_label, '已经调解或处理');
  // the partner accepts the return: closed, no dispute any more
  r = await partner.post(`/api/referrals/${b.id}/events/acknowledge`, { note: '无异议' });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'acknowledged');
  assert.match(r.json.timeline.at(-1).summary, /对退回无异议/);
  r = await partner.post(`/api/referrals/${b.id}/events/dispute`, { reason: '再议' });
  assert.equal(r.status, 409);

  const s = (await admin.get(`/api/referrals/stats?from=${today}&to=${today}`)).json;
  const pol = s.channels.find(x => x.channel === 'police');
  assert.ok(pol.accept_on_time >= 2, JSON.stringify(pol));
  assert.ok(pol.accept_late >= 1);
  assert.ok(pol.returned >= 1);
});

test('a return the partner disputes goes to consultation with the judicial office', async () => {
  // (a) consultation decides the committee should accept
  const a = await sent();
  let r = await mediator.post(`/api/referrals/${a.id}/events/return`, { reason_code: 'bogus', reason_text: 'x' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'reason_code');
  r = await mediator.post(`/api/referrals/${a.id}/events/return`, { reason_code: 'out_of_scope' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'reason_text');
  r = await mediator.post(`/api/referrals/${a.id}/events/return`, { reason_code: 'out_of_scope', reason_text: '涉及治安处罚，不属于人民调解范围' });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'returned');
  assert.equal(r.json.accept.received, true, 'a return acknowledges receipt');
  let todo = (await partner.get('/api/todo')).json;
  assert.equal(todo.referrals.items.find(x => x.id === a.id).task, 'review_return');
  r = await mediator.post(`/api/referrals/${a.id}/events/dispute`, { reason: '不同意' });
  assert.equal(r.status, 403, 'only the partner disputes');
  r = await partner.post(`/api/referrals/${a.id}/events/dispute`, { reason: '治安处罚已作出，民事赔偿部分属于调解范围' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'disputed');
  assert.equal(r.json.status_label, '会商中');
  assert.equal(r.json.consultations.length, 1);
  r = await mediator.post(`/api/referrals/${a.id}/events/consult`, { outcome: 'accept', held_on: today, participants: 'x', opinion: 'y' });
  assert.equal(r.status, 403, 'the committee does not settle its own return');
  todo = (await office.get('/api/todo')).json;
  assert.equal(todo.referrals.items.find(x => x.id === a.id).task, 'consult');
  r = await office.get(`/api/referrals/${a.id}`);
  assert.deepEqual(r.json.allowed_actions, ['consult']);
  r = await office.post(`/api/referrals/${a.id}/events/consult`, { outcome: 'decide', held_on: today, participants: 'x', opinion: 'y' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'outcome');
  r = await office.post(`/api/referrals/${a.id}/events/consult`, {
    outcome: 'accept', held_on: today, participants: '城关镇司法所、城关派出所、东关社区调委会',
    opinion: '民事赔偿部分属于人民调解范围，由东关社区调委会受理。',
  });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'received');
  assert.equal(r.json.accept.received_on, today, 'a new period runs from the consultation');
  assert.equal(r.json.accept.decided_on, null);
  assert.equal(r.json.return_reason_code, null);
  assert.equal(r.json.consultations[0].outcome, 'accept');
  assert.equal(r.json.consultations[0].outcome_label, '由原调委会受理');
  assert.equal(r.json.consultations[0].decided_org_name, office.user.org_name);
  r = await mediator.post(`/api/referrals/${a.id}/events/accept`);
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'accepted');
  assert.deepEqual(r.json.timeline.map(e => e.event).slice(-4), ['return', 'dispute', 'consult_accept', 'accept']);

  // (b) consultation upholds the return
  const b = await sent();
  await mediator.post(`/api/referrals/${b.id}/events/return`, { reason_code: 'party_refused', reason_text: '被申请人明确拒绝调解' });
  await partner.post(`/api/referrals/${b.id}/events/dispute`, { reason: '被申请人已口头同意' });
  r = await office.post(`/api/referrals/${b.id}/events/consult`, { outcome: 'uphold', held_on: today, participants: '三方', opinion: '经核实被申请人拒绝调解，维持退回。' });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'returned');
  assert.equal(r.json.return_reason_code, 'party_refused');

  // (c) consultation transfers it to the township committee
  const c = await sent();
  await mediator.post(`/api/referrals/${c.id}/events/return`, { reason_code: 'other', reason_text: '案情复杂，建议由镇调委会调解' });
  await partner.post(`/api/referrals/${c.id}/events/dispute`, { reason: '请明确受理单位' });
  r = await office.post(`/api/referrals/${c.id}/events/consult`, { outcome: 'transfer', held_on: today, participants: '三方', opinion: '改由镇调委会受理' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'target_org_id');
  r = await office.post(`/api/referrals/${c.id}/events/consult`, { outcome: 'transfer', held_on: today, participants: '三方', opinion: '改由镇调委会受理', target_org_id: township.id });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'sent');
  assert.equal(r.json.target_org_id, township.id);
  assert.equal((await mediator.get(`/api/referrals/${c.id}`)).status, 404, 'the village committee no longer sees it');
  r = await office.post(`/api/referrals/${c.id}/events/accept`);
  assert.equal(r.status, 200, 'the judicial office side may accept for its township committee');
  assert.equal(r.json.case.org_id, township.id);
});

test('partner systems on every channel with API tokens; stats per channel', async () => {
  const channels = ['petition', 'police', 'court', 'procuratorate', 'admin'];
  const made = {};
  for (const ch of channels) {
    const org = orgsByType[ch][0];
    const sys = await tokenFor(org.id);
    let r = await sys.post('/api/referrals', draft({ letter_no: `${ch}-2026-001`, title: `${ch} 移送纠纷` }));
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(r.json.channel, ch);
    const id = r.json.id;
    // the token uploads the consent straight onto the draft
    const up = await fetch(`${srv.url}/api/referrals/${id}/attachments/upload?kind=consent&title=${encodeURIComponent('当事人同意调解书')}`, {
      method: 'POST', body: PDF(ch), headers: { authorization: 'Bearer ' + sys.bearer, 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('同意书.pdf') },
    });
    assert.equal(up.status, 201, await up.clone().text());
    const body = await up.json();
    assert.equal(body.attachments[0].kind, 'consent');
    const bad = await fetch(`${srv.url}/api/referrals/${id}/attachments/upload?kind=consent`, {
      method: 'POST', body: 'not a pdf', headers: { authorization: 'Bearer ' + sys.bearer, 'content-type': 'application/pdf' },
    });
    assert.equal(bad.status, 415);
    r = await sys.post(`/api/referrals/${id}/events/approve`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.status, 'sent');
    // the system polls the status
    r = await sys.get(`/api/referrals/${id}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'sent');
    made[ch] = { id, sys };
  }
  // a partner token without the lead's role drafts but cannot approve
  const clerk = await tokenFor(orgsByType.court[0].id, 'partner');
  let r = await clerk.post('/api/referrals', draft({ letter_no: 'court-clerk-1' }));
  assert.equal(r.status, 201);
  r = await clerk.post(`/api/referrals/${r.json.id}/events/approve`);
  assert.equal(r.status, 403);
  // the party committee assigns, it does not refer
  const pg = await tokenFor(orgsByType.party_gov[0].id);
  r = await pg.post('/api/referrals', draft({ letter_no: 'pg-1' }));
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'channel');

  // the committee accepts petition, court and admin; returns police and procuratorate
  for (const ch of ['petition', 'court', 'admin'])
    assert.equal((await mediator.post(`/api/referrals/${made[ch].id}/events/accept`)).status, 200);
  for (const ch of ['police', 'procuratorate'])
    assert.equal((await mediator.post(`/api/referrals/${made[ch].id}/events/return`, { reason_code: 'out_of_scope', reason_text: '不属于调解范围' })).status, 200);
  // petition agreed (oral), court terminated
  const caseOf = async ch => (await made[ch].sys.get(`/api/referrals/${made[ch].id}`)).json.case.id;
  let cid = await caseOf('petition');
  await mediator.post(`/api/cases/${cid}/events/record_session`, { held_on: today, content: '调解' });
  r = await mediator.post(`/api/cases/${cid}/events/agree`, { form: 'oral', terms: '双方口头约定互不追究' });
  assert.equal(r.status, 200);
  r = await mediator.get(`/api/referrals/${made.petition.id}/feedback-draft`);
  assert.equal(r.json.written_agreement, false);
  assert.match(r.json.text, /口头协议/);
  r = await mediator.post(`/api/referrals/${made.petition.id}/events/feedback`, { text: r.json.text });
  assert.equal(r.status, 200, 'an oral agreement needs no document');
  cid = await caseOf('court');
  r = await mediator.post(`/api/cases/${cid}/events/terminate`, { reason_code: 'no_agreement', reason_text: '双方分歧较大', guidance: 'litigation' });
  assert.equal(r.status, 200);
  const fb = r.json.deadlines.find(d => d.kind === 'feedback');
  assert.equal(fb.due_on, (await admin.get(`/api/calendar/add-workdays?date=${today}&days=3`)).json.date, '3 working days after a termination');
  r = await mediator.get(`/api/referrals/${made.court.id}/feedback-draft`);
  assert.equal(r.json.outcome, 'terminated');
  assert.match(r.json.text, /终止调解/);
  assert.match(r.json.text, /向人民法院起诉/);
  r = await mediator.post(`/api/referrals/${made.court.id}/events/feedback`, { text: r.json.text });
  assert.equal(r.status, 200);
  assert.equal(r.json.feedback.outcome, 'terminated');
  // the court's system receives the feedback by polling too
  r = await made.court.sys.get(`/api/referrals/${made.court.id}`);
  assert.equal(r.json.status, 'feedback_sent');
  r = await made.court.sys.post(`/api/referrals/${made.court.id}/events/acknowledge`);
  assert.equal(r.status, 200);

  // statistics per channel, in the bureau's scope and in a partner's
  const s = (await admin.get('/api/referrals/stats')).json;
  assert.equal(s.to, today);
  assert.equal(s.channels.length, 5);
  const by = Object.fromEntries(s.channels.map(x => [x.channel, x]));
  assert.ok(by.petition.referred >= 1 && by.petition.accepted >= 1 && by.petition.agreed >= 1 && by.petition.feedback_on_time >= 1);
  assert.ok(by.court.terminated >= 1 && by.court.feedback_on_time >= 1);
  assert.ok(by.procuratorate.returned >= 1);
  assert.ok(by.admin.accepted >= 1);
  assert.equal(by.court.label, '诉调对接');
  const sum = k => s.channels.reduce((n, x) => n + x[k], 0);
  for (const k of ['referred', 'accepted', 'returned', 'agreed', 'terminated', 'accept_on_time', 'feedback_on_time'])
    assert.equal(s.total[k], sum(k), k);
  assert.ok(s.total.accept_on_time_rate > 0 && s.total.accept_on_time_rate <= 1);
  const mine = (await made.court.sys.get('/api/referrals/stats')).json;
  assert.equal(mine.total.referred, 1, 'a partner counts only its own referrals');
  assert.equal(mine.channels.find(x => x.channel === 'court').terminated, 1);
  r = await admin.get('/api/referrals/stats?from=2026-12-01&to=2026-01-01');
  assert.equal(r.status, 400);
});

test('a partner cannot read another partner’s referral, nor a committee elsewhere', async () => {
  const a = await sent();
  const f = a.attachments[0].file_id;
  assert.equal((await petition.get(`/api/referrals/${a.id}`)).status, 404);
  assert.equal((await petition.post(`/api/referrals/${a.id}/events/dispute`, { reason: 'x' })).status, 404);
  assert.equal((await petition.patch(`/api/referrals/${a.id}`, { title: 'x' })).status, 404);
  const dl = await fetch(`${srv.url}/api/referrals/${a.id}/files/${f}`, { headers: { cookie: petition.cookie } });
  assert.equal(dl.status, 404);
  assert.ok(!(await petition.get('/api/referrals')).json.items.some(x => x.id === a.id));
  assert.equal((await petition.get(`/api/referrals/${a.id}/feedback-draft`)).status, 404);
  // a mediator of another township
  const orgs = (await admin.get('/api/orgs?kind=committee')).json.items;
  const far = orgs.find(o => o.path.split('/').length === 5 && !o.name.startsWith('城关镇'));
  let r = await admin.post('/api/users', { login: 'far-med', name: '远方调解员', org_id: far.id, role: 'mediator', password: 'Far-away-2026' });
  assert.equal(r.status, 201);
  const farm = new Client(srv.url); await farm.login('far-med', 'Far-away-2026');
  assert.equal((await farm.get(`/api/referrals/${a.id}`)).status, 404);
  assert.equal((await farm.post(`/api/referrals/${a.id}/events/accept`)).status, 404);
  // the bureau and the auditor read it; the auditor writes nothing
  assert.equal((await admin.get(`/api/referrals/${a.id}`)).status, 200);
  r = await auditor.get(`/api/referrals/${a.id}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.allowed_actions, []);
  assert.equal((await auditor.post(`/api/referrals/${a.id}/events/receipt`)).status, 403);
  // informants have no referral permission
  const inf = new Client(srv.url); await inf.login('informant');
  assert.equal((await inf.get('/api/referrals')).status, 403);
  assert.equal((await inf.get('/api/todo')).json.referrals, undefined);
  // committees do not draft referrals
  r = await mediator.post('/api/referrals', draft());
  assert.equal(r.status, 403);
});

test('bad input is refused with the field named, and changes nothing', async () => {
  const before = (await partner.get('/api/referrals')).json.total;
  const cases = [
    [{ letter_no: undefined }, 'letter_no'],
    [{ target_org_id: police }, 'target_org_id'],
    [{ target_org_id: office.user.org_id }, 'target_org_id'],
    [{ target_org_id: 999999 }, 'target_org_id'],
    [{ dispute_type: 'alien' }, 'dispute_type'],
    [{ letter_date: '2099-01-01' }, 'letter_date'],
    [{ occurred_on: '2025-02-30' }, 'occurred_on'],
    [{ channel: 'party_gov' }, 'channel'],
    [{ contact_phone: '12345' }, 'contact_phone'],
    [{ parties: [{ role: 'applicant', name: '甲', id_number: '110105194912310021' }, { role: 'respondent', name: '乙' }] }, 'parties[0].id_number'],
    [{ parties: [{ role: 'applicant', name: '甲' }, { role: 'third_party', name: '乙' }] }, 'parties'],
    [{ parties: [{ role: 'applicant', name: '甲' }] }, 'parties'],
    [{ attachments: [{ file_id: 999999, kind: 'consent', title: '同意书' }] }, 'attachments[0].file_id'],
    [{ surprise: 1 }, 'surprise'],
  ];
  for (const [extra, field] of cases) {
    const body = draft(extra);
    for (const k of Object.keys(extra)) if (extra[k] === undefined) delete body[k];
    const r = await partner.post('/api/referrals', body);
    assert.equal(r.status, 400, `${field}: ${JSON.stringify(r.json)}`);
    assert.equal(r.json.error.field, field, JSON.stringify(r.json));
  }
  assert.equal((await partner.get('/api/referrals')).json.total, before, 'nothing was written');
  // one letter number per referral of an org
  const a = await partner.post('/api/referrals', draft({ letter_no: '重复函号〔2026〕1号' }));
  assert.equal(a.status, 201);
  let r = await partner.post('/api/referrals', draft({ letter_no: '重复函号〔2026〕1号' }));
  assert.equal(r.status, 409);
  assert.equal(r.json.error.field, 'letter_no');
  // another org may use the same number
  r = await petition.post('/api/referrals', draft({ letter_no: '重复函号〔2026〕1号' }));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(r.json.channel, 'petition');
  // unknown actions and filters
  r = await partner.post(`/api/referrals/${a.json.id}/events/explode`);
  assert.equal(r.status, 404);
  r = await partner.get('/api/referrals?status=sent,bogus');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'status');
  r = await partner.post(`/api/referrals/${a.json.id}/events/reject`, { comment: 'x' });
  assert.equal(r.status, 403, 'a clerk does not reject');
  r = await lead.post(`/api/referrals/${a.json.id}/events/reject`, { comment: '补充材料' });
  assert.equal(r.status, 409, 'not submitted yet');
  assert.match(r.json.error.message, /草稿/);
  // cancel a draft; afterwards nothing is possible
  r = await partner.post(`/api/referrals/${a.json.id}/events/cancel`, { reason: '当事人已自行和解' });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'cancelled');
  r = await partner.post(`/api/referrals/${a.json.id}/events/submit`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /已撤销/);
  assert.equal(r.json.error.state, 'cancelled', '409s name the current state');
  // a lead sends back a submitted draft for changes
  const b = await partner.post('/api/referrals', draft());
  const f = await upload(partner);
  await partner.post(`/api/referrals/${b.json.id}/attachments`, { file_id: f.id, kind: 'consent', title: '同意书' });
  await partner.post(`/api/referrals/${b.json.id}/events/submit`);
  r = await lead.post(`/api/referrals/${b.json.id}/events/reject`);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'comment');
  r = await lead.post(`/api/referrals/${b.json.id}/events/reject`, { comment: '请补充纠纷发生日期' });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.approval_comment, '请补充纠纷发生日期');
  r = await partner.patch(`/api/referrals/${b.json.id}`, { occurred_on: '2026-01-05', note: null });
  assert.equal(r.status, 200);
  assert.equal(r.json.dispute.occurred_on, '2026-01-05');
  assert.equal(r.json.note, null);
  r = await partner.patch(`/api/referrals/${b.json.id}`, { title: null });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'title');
});
