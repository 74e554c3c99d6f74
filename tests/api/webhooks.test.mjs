// Partner notifications (webhooks): registration (http only, secret shown once),
// HMAC-SHA256 signatures over timestamp and body, delivery from the durable outbox
// to a local receiver that fails twice before accepting, exponential backoff, the
// outbox view, rotation, ping, disabling, retry, and a delivery that survives a
// restart while shutdown does not wait for a hanging endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import { startServer, Client } from '../lib/server.mjs';

const ENV = { TIAOJIE_WEBHOOK_BACKOFF_MS: '200' };
let srv, admin, partner, lead, mediator, receiver, hookUrl;
let hook; // the registered endpoint, with its secret
const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
let seq = 0;

// A local receiver: records every request; answers 500 while failNext > 0, hangs
// (never answers) in mode 'hang', else 200.
function startReceiver() {
  const rec = { requests: [], failNext: 0, failAll: false, mode: 'ok', sockets: new Set() };
  rec.server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const entry = { at: Date.now(), method: req.method, url: req.url, headers: req.headers, body };
      if (rec.mode === 'hang') { entry.status = 0; rec.requests.push(entry); return; }
      const status = rec.failAll || rec.failNext > 0 ? 500 : 200;
      if (rec.failNext > 0) rec.failNext--;
      entry.status = status;
      rec.requests.push(entry);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'try later');
    });
  });
  rec.server.on('connection', s => { rec.sockets.add(s); s.on('close', () => rec.sockets.delete(s)); });
  return new Promise(res => rec.server.listen(0, '127.0.0.1', () => { rec.port = rec.server.address().port; res(rec); }));
}

async function waitFor(fn, ms = 10000, what = 'condition') {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting for ' + what);
    await new Promise(r => setTimeout(r, 50));
  }
}

const verify = (secret, req) => {
  const ts = req.headers['x-tiaojie-timestamp'];
  const want = 'sha256=' + createHmac('sha256', secret).update(`${ts}.${req.body}`).digest('hex');
  return req.headers['x-tiaojie-signature'] === want;
};

const PDF = () => new TextEncoder().encode(`%PDF-1.4\n% ${Math.random()}\n%%EOF\n`);

async function login() {
  admin = new Client(srv.url); await admin.login('admin');
  partner = new Client(srv.url); await partner.login('partner');
  lead = new Client(srv.url); await lead.login('partner_lead');
  mediator = new Client(srv.url); await mediator.login('mediator');
}

// A police referral approved by the lead (event referral.sent).
async function sendReferral() {
  let r = await partner.post('/api/referrals', {
    letter_no: `公调〔2026〕推送${++seq}号`, target_org_id: mediator.user.org_id, title: '王某与赵某噪音纠纷',
    dispute_type: 'neighbour', facts: '楼上楼下噪音纠纷，经民警调处后双方同意调解。',
    parties: [{ role: 'applicant', name: '王某某', id_number: '11010519491231002X' }, { role: 'respondent', name: '赵某某' }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = r.json.id;
  const up = await fetch(`${srv.url}/api/referrals/${id}/attachments/upload?kind=consent`, {
    method: 'POST', body: PDF(), headers: { cookie: partner.cookie, 'x-csrf-token': partner.csrf, 'content-type': 'application/pdf' },
  });
  assert.equal(up.status, 201, await up.clone().text());
  r = await lead.post(`/api/referrals/${id}/events/approve`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return id;
}

const forDelivery = id => receiver.requests.filter(q => q.headers['x-tiaojie-delivery'] === String(id));

before(async () => {
  receiver = await startReceiver();
  hookUrl = `http://127.0.0.1:${receiver.port}/tiaojie/hook?src=test`;
  srv = await startServer({ env: ENV });
  await login();
});
after(async () => {
  await srv.stop();
  rmSync(srv.dir, { recursive: true, force: true });
  for (const s of receiver.sockets) s.destroy();
  await new Promise(r => receiver.server.close(r));
});

test('registering an endpoint: http only, a partner lead or an administrator, secret shown once', async () => {
  let r = await partner.post('/api/webhooks', { url: hookUrl });
  assert.equal(r.status, 403, 'a partner clerk does not manage endpoints');
  r = await lead.post('/api/webhooks', { url: 'https://gaj.example.gov.cn/hook' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'url');
  assert.match(r.json.error.message, /https/);
  for (const bad of ['ftp://x/', 'http://user:pw@host/', 'http://host:99999/', 'http://ho st/'])
    assert.equal((await lead.post('/api/webhooks', { url: bad })).status, 400, bad);
  r = await lead.post('/api/webhooks', { url: hookUrl, org_id: mediator.user.org_id });
  assert.equal(r.status, 400, 'only for the lead’s own org');
  assert.equal(r.json.error.field, 'org_id');
  r = await admin.post('/api/webhooks', { url: hookUrl, org_id: mediator.user.org_id });
  assert.equal(r.status, 400, 'only partner orgs have endpoints');
  r = await lead.post('/api/webhooks', { url: hookUrl, description: '派出所警务平台' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  hook = r.json;
  assert.match(hook.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  assert.equal(hook.org_id, partner.user.org_id);
  assert.equal(hook.url, hookUrl);
  r = await lead.get('/api/webhooks');
  assert.equal(r.json.items.length, 1);
  assert.equal(r.json.items[0].secret, undefined, 'never shown again');
  r = await admin.get(`/api/webhooks/${hook.id}`);
  assert.equal(r.status, 200, 'the administrator sees the partners below it');
  assert.equal(r.json.secret, undefined);
  // another partner's lead does not see it
  const petitionOrg = (await admin.get('/api/orgs?kind=partner')).json.items.find(o => o.partner_type === 'petition');
  r = await admin.post('/api/users', { login: 'xf-lead', name: '信访局负责人', org_id: petitionOrg.id, role: 'partner_lead', password: 'Xinfang-lead-2026' });
  assert.equal(r.status, 201);
  const other = new Client(srv.url); await other.login('xf-lead', 'Xinfang-lead-2026');
  assert.equal((await other.get(`/api/webhooks/${hook.id}`)).status, 404);
  assert.equal((await other.get('/api/webhooks')).json.items.length, 0);
  assert.equal((await other.post(`/api/webhooks/${hook.id}/secret`)).status, 404);
  const audit = (await admin.get('/api/audit?object_type=webhook&limit=5')).json.items;
  assert.equal(audit[0].action, 'create');
  assert.ok(!JSON.stringify(audit).includes(hook.secret), 'the secret is not in the audit log');
});

test('a notification fails twice, is retried with backoff and accepted; every attempt is signed', async () => {
  receiver.failNext = 2;
  const id = await sendReferral();
  const reqs = await waitFor(() => {
    const q = receiver.requests.filter(x => x.headers['x-tiaojie-event'] === 'referral.sent' && JSON.parse(x.body).data.referral.id === id);
    return q.length >= 3 && q;
  }, 15000, 'three attempts');
  assert.deepEqual(reqs.map(q => q.status), [500, 500, 200]);
  const deliveryId = reqs[0].headers['x-tiaojie-delivery'];
  assert.ok(reqs.every(q => q.headers['x-tiaojie-delivery'] === deliveryId), 'one delivery id across retries');
  for (const q of reqs) {
    assert.equal(q.method, 'POST');
    assert.equal(q.url, '/tiaojie/hook?src=test');
    assert.equal(q.headers['content-type'], 'application/json; charset=utf-8');
    assert.match(q.headers['user-agent'], /^tiaojie\//);
    assert.ok(verify(hook.secret, q), 'signature verifies');
    assert.ok(!verify(hook.secret + 'x', q));
    assert.ok(Math.abs(Number(q.headers['x-tiaojie-timestamp']) - Date.now() / 1000) < 60);
  }
  // backoff doubles: ~200 ms, then ~400 ms
  assert.ok(reqs[1].at - reqs[0].at >= 150, `first retry after ${reqs[1].at - reqs[0].at} ms`);
  assert.ok(reqs[2].at - reqs[1].at >= 350, `second retry after ${reqs[2].at - reqs[1].at} ms`);
  const body = JSON.parse(reqs[2].body);
  assert.equal(body.event, 'referral.sent');
  assert.match(body.occurred_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(body.data.referral.status, 'sent');
  assert.equal(body.data.referral.letter_no.startsWith('公调'), true);
  assert.ok(body.data.referral.accept_due_on);
  assert.ok(!reqs[2].body.includes('11010519491231002X') && !reqs[2].body.includes('王某某'), 'no party data in notifications');
  // the outbox view
  let r = await lead.get(`/api/webhooks/deliveries?referral_id=${id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 1);
  const d = r.json.items[0];
  assert.equal(String(d.id), deliveryId);
  assert.equal(d.status, 'delivered');
  assert.equal(d.status_label, '已送达');
  assert.equal(d.attempts, 3);
  assert.equal(d.last_status, 200);
  r = await admin.get(`/api/webhooks/deliveries/${d.id}`);
  assert.deepEqual(r.json.attempt_log.map(a => a.status_code), [500, 500, 200]);
  assert.match(r.json.attempt_log[0].error, /HTTP 500/);
  assert.equal(r.json.attempt_log[2].error, null);
  assert.equal(r.json.payload.event, 'referral.sent');
  assert.equal((await partner.get('/api/webhooks/deliveries')).status, 403);
  r = await lead.post(`/api/webhooks/deliveries/${d.id}/retry`);
  assert.equal(r.status, 409, 'nothing to retry');
});

test('every step the partner must hear about is notified, feedback included', async () => {
  const id = await sendReferral();
  await mediator.post(`/api/referrals/${id}/events/receipt`);
  let r = await mediator.post(`/api/referrals/${id}/events/accept`);
  const caseId = r.json.case.id;
  await mediator.post(`/api/cases/${caseId}/events/terminate`, { reason_code: 'no_agreement', reason_text: '双方分歧较大', guidance: 'litigation' });
  const draft = (await mediator.get(`/api/referrals/${id}/feedback-draft`)).json;
  r = await mediator.post(`/api/referrals/${id}/events/feedback`, { text: draft.text });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const events = await waitFor(() => {
    const e = receiver.requests.filter(q => q.status === 200 && JSON.parse(q.body).data.referral?.id === id)
      .map(q => q.headers['x-tiaojie-event']);
    return e.length >= 4 && e;
  }, 10000, 'four notifications');
  assert.deepEqual(events, ['referral.sent', 'referral.received', 'referral.accepted', 'referral.feedback']);
  const fb = JSON.parse(receiver.requests.find(q => q.headers['x-tiaojie-event'] === 'referral.feedback').body).data.referral;
  assert.equal(fb.status, 'feedback_sent');
  assert.equal(fb.feedback_outcome, 'terminated');
  assert.match(fb.feedback_text, /终止调解/);
  assert.ok(fb.case_no);
  assert.deepEqual(fb.feedback_files, []);
});

test('ping, secret rotation, retry now, disabling cancels what is pending', async () => {
  let r = await lead.post(`/api/webhooks/${hook.id}/ping`);
  assert.equal(r.status, 202);
  const pingId = String(r.json.id);
  await waitFor(() => forDelivery(pingId).some(q => q.status === 200), 5000, 'ping');
  assert.equal(forDelivery(pingId)[0].headers['x-tiaojie-event'], 'ping');
  // rotation: later deliveries are signed with the new secret
  r = await lead.post(`/api/webhooks/${hook.id}/secret`);
  assert.equal(r.status, 200);
  const secret2 = r.json.secret;
  assert.notEqual(secret2, hook.secret);
  r = await lead.post(`/api/webhooks/${hook.id}/ping`);
  const ping2 = String(r.json.id);
  const q2 = (await waitFor(() => forDelivery(ping2).find(q => q.status === 200), 5000, 'ping 2'));
  assert.ok(verify(secret2, q2));
  assert.ok(!verify(hook.secret, q2));
  hook.secret = secret2;
  // an endpoint that keeps failing: retry now once it is back
  receiver.failAll = true;
  r = await lead.post(`/api/webhooks/${hook.id}/ping`);
  const ping3 = String(r.json.id);
  await waitFor(() => forDelivery(ping3).length >= 2, 5000, 'two failures');
  receiver.failAll = false;
  r = await lead.post(`/api/webhooks/deliveries/${ping3}/retry`);
  assert.equal(r.status, 200);
  await waitFor(async () => (await lead.get(`/api/webhooks/deliveries/${ping3}`)).json.status === 'delivered', 5000, 'retried delivery');
  // disabling cancels pending deliveries
  receiver.failAll = true;
  r = await lead.post(`/api/webhooks/${hook.id}/ping`);
  const ping4 = String(r.json.id);
  await waitFor(() => forDelivery(ping4).length >= 1, 5000, 'a failure');
  r = await lead.del(`/api/webhooks/${hook.id}`);
  assert.equal(r.status, 204);
  receiver.failAll = false;
  r = await lead.get(`/api/webhooks/deliveries/${ping4}`);
  assert.equal(r.json.status, 'cancelled');
  r = await lead.get('/api/webhooks/deliveries?status=cancelled');
  assert.ok(r.json.items.some(x => String(x.id) === ping4));
  r = await lead.post(`/api/webhooks/deliveries/${ping4}/retry`);
  assert.equal(r.status, 409);
  r = await lead.del(`/api/webhooks/${hook.id}`);
  assert.equal(r.status, 409);
  // no endpoint: events are not queued
  const before = receiver.requests.length;
  await sendReferral();
  await new Promise(res => setTimeout(res, 500));
  assert.equal(receiver.requests.length, before);
  r = await lead.post('/api/webhooks', { url: hookUrl });
  assert.equal(r.status, 201);
  hook = r.json;
});

test('a delivery survives a restart, and shutdown does not wait for a hanging endpoint', async () => {
  receiver.mode = 'hang';
  const id = await sendReferral();
  const hung = await waitFor(() => receiver.requests.find(q => q.status === 0 && JSON.parse(q.body).data.referral.id === id), 5000, 'the hanging request');
  const deliveryId = hung.headers['x-tiaojie-delivery'];
  const t0 = Date.now();
  const res = await srv.stop({ keep: true });
  const took = Date.now() - t0;
  assert.equal(res.code, 0);
  assert.ok(took < 3500, `shutdown took ${took} ms`);
  for (const s of receiver.sockets) s.destroy();
  receiver.mode = 'ok';
  srv = await startServer({ dir: srv.dir, env: ENV });
  await login();
  await waitFor(() => forDelivery(deliveryId).some(q => q.status === 200), 10000, 'delivery after restart');
  const r = await lead.get(`/api/webhooks/deliveries/${deliveryId}`);
  assert.equal(r.json.status, 'delivered');
  assert.equal(r.json.attempts, 1, 'the interrupted attempt was not counted');
  assert.equal(r.json.event, 'referral.sent');
});
