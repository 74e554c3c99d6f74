// What makes tiaojie fast at a province's size must never make it wrong:
// - the answer cache serves only what the handler would compute now (any committed
//   change, through any resource, retires it; callers never see each other's answers);
// - search narrows by the caller's scope inside the full-text index, and the scope
//   words follow a case when it is escalated;
// - the county-year dashboard counts agree with the case list;
// - concurrent registrations all land (group commit), and the to-do list holds the
//   committee's tasks, not the parties' judicial-confirmation window;
// - a change made by another process (the CLI) reaches the caches in about a second.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, run } from '../lib/server.mjs';

let srv, admin, bureau, office, mediator, partner, village, township;

const party = (role, name, extra = {}) => ({ role, name, ...extra });
const newCase = (extra = {}) => ({
  title: '张某与李某彩礼返还纠纷', source: 'walk_in', dispute_type: 'marriage_family',
  facts: '双方于2025年订婚，张某给付彩礼八万元，后解除婚约，张某要求返还彩礼，李某不同意。',
  claims: '返还彩礼八万元', amount: 8000000, people_involved: 2, place: '东关社区',
  parties: [party('applicant', '张某某', { phone: '13800138000' }), party('respondent', '李某某')],
  ...extra,
});
const sql = (q) => {
  const r = spawnSync('sqlite3', ['-readonly', '-json', srv.db, q], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
};
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer();
  for (const [k, login] of [['admin', 'admin'], ['bureau', 'bureau'], ['office', 'office'], ['mediator', 'mediator'], ['partner', 'partner']]) {
    const c = new Client(srv.url);
    const r = await c.login(login);
    assert.equal(r.status, 200, r.text);
    ({ admin, bureau, office, mediator, partner } = { admin, bureau, office, mediator, partner, [k]: c });
  }
  village = mediator.user.org_id;
  township = office.user.org_id;
});
after(async () => { await srv?.stop(); });

test('the answer cache: a repeat is a hit, a change anywhere retires it, callers never share', async () => {
  const url = '/api/cases?limit=5';
  const a = await office.get(url);
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('x-cache'), 'miss');
  const b = await office.get(url);
  assert.equal(b.headers.get('x-cache'), 'hit');
  assert.equal(b.text, a.text, 'a hit is byte for byte the computed answer');
  // another caller, same URL: its own answer, computed for its scope
  const m = await mediator.get(url);
  assert.equal(m.headers.get('x-cache'), 'miss');
  for (const it of m.json.items) assert.equal((await mediator.get(`/api/cases/${it.id}`)).status, 200);
  assert.ok(m.json.total < a.json.total, 'the village sees less than its township');

  // a registration shows at once
  const c = (await mediator.post('/api/cases', newCase({ title: '缓存测试甲与乙相邻关系纠纷', dispute_type: 'neighbour' }))).json;
  const after1 = await office.get(url);
  assert.equal(after1.headers.get('x-cache'), 'miss');
  assert.equal(after1.json.items[0].id, c.id);
  assert.equal(after1.json.total, a.json.total + 1);

  // a detail follows an event, through the nested resource
  let d = await office.get(`/api/cases/${c.id}`);
  assert.equal(d.json.status, 'registered');
  assert.equal((await office.get(`/api/cases/${c.id}`)).headers.get('x-cache'), 'hit');
  assert.equal((await mediator.post(`/api/cases/${c.id}/events/accept`)).status, 200);
  d = await office.get(`/api/cases/${c.id}`);
  assert.equal(d.headers.get('x-cache'), 'miss');
  assert.equal(d.json.status, 'accepted');

  // the query string is part of the key
  const n = await office.get('/api/cases?limit=5&status=registered');
  assert.ok(n.json.items.every(i => i.status === 'registered'));
  // no argument value can pass for another argument list
  const two = await office.get('/api/cases?limit=5&status=registered&dispute_type=neighbour');
  assert.equal(two.status, 200);
  const one = await office.get('/api/cases?limit=5&status=' + encodeURIComponent('registered\x1fdispute_type=neighbour'));
  assert.notEqual(one.headers.get('x-cache'), 'hit');
  assert.equal(one.status, 400, 'a status that is not in the dictionary');
  // errors are never kept
  assert.equal((await office.get('/api/cases?limit=abc')).status, 400);
  assert.equal((await office.get('/api/cases?limit=abc')).status, 400);
});

test('a signed-in caller kept in memory: sign-out, disabling and revocation act at once', async () => {
  const pw = 'Cache-test-2026';
  let r = await admin.post('/api/users', { login: 'cachetest', name: '缓存测试', org_id: village, role: 'mediator', password: pw });
  assert.equal(r.status, 201, r.text);
  const uid = r.json.id;
  const a = new Client(srv.url), b = new Client(srv.url);
  assert.equal((await a.login('cachetest', pw)).status, 200);
  assert.equal((await b.login('cachetest', pw)).status, 200);
  for (let i = 0; i < 3; i++) {
    assert.equal((await a.get('/api/auth/me')).status, 200);
    assert.equal((await b.get('/api/auth/me')).status, 200);
  }
  const old = a.cookie;
  assert.equal((await a.post('/api/auth/logout')).status, 204);
  a.cookie = old;
  assert.equal((await a.get('/api/auth/me')).status, 401, 'the signed-out session is dead at once');
  assert.equal((await b.get('/api/auth/me')).status, 200, 'the other session lives');
  assert.equal((await admin.patch(`/api/users/${uid}`, { disabled: true })).status, 200);
  assert.equal((await b.get('/api/auth/me')).status, 401, 'a disabled account is out at once');

  r = await admin.post('/api/tokens', { name: '缓存测试令牌', org_id: township, role: 'office_staff' });
  assert.equal(r.status, 201, r.text);
  const t = new Client(srv.url);
  t.bearer = r.json.token;
  for (let i = 0; i < 3; i++) assert.equal((await t.get('/api/cases?limit=1')).status, 200);
  assert.equal((await admin.del(`/api/tokens/${r.json.id}`)).status, 204);
  assert.equal((await t.get('/api/cases?limit=1')).status, 401, 'a revoked token is refused at once');
});

test('without a budget there is no cache', async () => {
  const s = await startServer({ env: { TIAOJIE_CACHE_MB: '0' } });
  try {
    const c = new Client(s.url);
    await c.login('office');
    const r1 = await c.get('/api/cases?limit=1');
    const r2 = await c.get('/api/cases?limit=1');
    assert.equal(r2.status, 200);
    assert.equal(r1.headers.get('x-cache'), null);
    assert.equal(r2.headers.get('x-cache'), null);
  } finally { await s.stop(); }
});

test('a full cache still takes new answers: older ones make room', async () => {
  const s = await startServer({ env: { TIAOJIE_CACHE_MB: '1' } });
  try {
    const c = new Client(s.url);
    await c.login('office');
    for (let i = 0; i < 150; i++) assert.equal((await c.get(`/api/cases?limit=100&fill=${i}`)).status, 200);
    await c.get('/api/cases?limit=5');
    assert.equal((await c.get('/api/cases?limit=5')).headers.get('x-cache'), 'hit');
  } finally { await s.stop(); }
});

test('search returns exactly the visible matches, and follows an escalation', async () => {
  const word = '榆钱沟';
  const before1 = await admin.get('/api/cases?q=' + encodeURIComponent(word));
  assert.equal(before1.json.total, 0);
  const reg = await mediator.post('/api/cases', newCase({ title: `${word}村民宅基地纠纷`, dispute_type: 'housing_homestead',
    facts: `${word}村两户因宅基地界址发生争执。` }));
  assert.equal(reg.status, 201, reg.text);
  const c = reg.json;
  for (const [who, seen] of [[admin, 1], [bureau, 1], [office, 1], [mediator, 1], [partner, 0]]) {
    const r = await who.get('/api/cases?q=' + encodeURIComponent(word));
    assert.equal(r.status, 200);
    assert.equal(r.json.total, seen, `${who.user.login} finds ${seen}`);
    assert.equal(r.json.items.length, seen);
  }
  // every search hit of a township is a case it may open, and it finds all of those
  const q = encodeURIComponent('彩礼');
  const mine = await office.get('/api/cases?limit=100&q=' + q);
  const all = await admin.get('/api/cases?limit=100&q=' + q);
  assert.ok(mine.json.total > 0 && mine.json.total < all.json.total);
  for (const it of mine.json.items.slice(0, 10)) assert.equal((await office.get(`/api/cases/${it.id}`)).status, 200);
  const visibleOfAll = [];
  for (const it of all.json.items) if ((await office.get(`/api/cases/${it.id}`)).status === 200) visibleOfAll.push(it.id);
  assert.deepEqual(mine.json.items.map(i => i.id).filter(id => id >= all.json.items.at(-1).id),
    visibleOfAll, 'the same cases the province-wide search holds that the township may open');

  // escalation moves the handling org: the scope words follow (trigger cases_scope_au)
  const orgs = (await mediator.get('/api/orgs')).json.items;
  const parent = orgs.find(o => o.id === orgs.find(x => x.id === village).parent_id);
  assert.equal((await mediator.post(`/api/cases/${c.id}/events/escalate`, { org_id: parent.id, reason: '涉及两村' })).status, 200);
  const stale = sql(`SELECT COUNT(*) AS n FROM case_search s JOIN cases c ON c.id = s.case_id WHERE s.scope <>
    'o' || replace(trim(c.org_path, '/'), '/', ' o') || ' o' || replace(trim(c.registered_org_path, '/'), '/', ' o') || COALESCE(' p' || c.referrer_org_id, '')`);
  assert.equal(stale[0].n, 0, 'every search row carries its case\'s scope words');
  const row = sql(`SELECT scope FROM case_search WHERE case_id = ${c.id}`)[0];
  assert.match(row.scope, new RegExp(`\\bo${parent.id}\\b`));
  assert.equal((await mediator.get('/api/cases?q=' + encodeURIComponent(word))).json.total, 1, 'the registering village still finds it');
});

test('a list is the same whether its set is sorted in memory (small) or in SQL (over 2,000)', async () => {
  // walk every page of a listing; each id once, in order, as many as the total says
  const walk = async (who, query, limit) => {
    const ids = [];
    let cursor = '', total = -1;
    for (let i = 0; i < 200; i++) {
      const r = await who.get(`/api/cases?limit=${limit}${query}` + (cursor ? '&cursor=' + cursor : ''));
      assert.equal(r.status, 200, r.text);
      if (total < 0) total = r.json.total;
      assert.equal(r.json.total, total, 'every page counts the same set');
      ids.push(...r.json.items.map(x => x.id));
      if (!r.json.next_cursor) break;
      assert.equal(r.json.next_cursor, String(ids.at(-1)), 'the cursor is the last id of the page');
      cursor = r.json.next_cursor;
    }
    assert.equal(new Set(ids).size, ids.length, 'no id twice');
    assert.equal(ids.length, total, 'every case of the total once');
    return ids;
  };
  const countAll = sql('SELECT COUNT(*) AS n FROM cases')[0].n;
  assert.ok(countAll > 2000, `the demo county has more cases (${countAll}) than the in-memory limit`);
  for (const [who, big] of [[bureau, true], [office, false], [mediator, false]]) {
    const newest = await walk(who, '', 100);
    assert.equal(newest.length > 2000, big, `${who.user.login}: ${newest.length} cases`);
    assert.deepEqual(newest, [...newest].sort((a, b) => b - a), 'newest first');
    const oldest = await walk(who, '&sort=oldest', 100);
    assert.deepEqual(oldest, [...newest].reverse(), 'oldest first is the same set reversed');
    // a filter narrows the same set: every archived case of the walk, and only those
    const archived = await walk(who, '&status=archived', 50);
    const want = new Set(sql(`SELECT id FROM cases WHERE status = 'archived' AND id IN (${newest.join(',')})`).map(r => r.id));
    assert.deepEqual(archived, newest.filter(id => want.has(id)));
  }
  // the bureau's whole county is every case
  assert.equal((await bureau.get('/api/cases?limit=1')).json.total, countAll);
});

test('the dashboard counts a county-year by type and status, agreeing with the list', async () => {
  const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear() - 1;
  const from = `${year}-01-01`, to = `${year}-12-31`;
  const county = bureau.user.org_id;
  const r = await bureau.get(`/api/stats/cases?org_id=${county}&from=${from}&to=${to}`);
  assert.equal(r.status, 200, r.text);
  const s = r.json;
  assert.equal(s.org.id, county);
  assert.equal(s.from, from);
  assert.ok(s.total > 0, 'the demo county has cases last year');
  const list = await bureau.get(`/api/cases?limit=1&org_id=${county}&from=${from}&to=${to}`);
  assert.equal(s.total, list.json.total);
  assert.equal(s.by_type.reduce((a, t) => a + t.count, 0), s.total);
  assert.equal(s.by_status.reduce((a, t) => a + t.count, 0), s.total);
  assert.ok(s.by_type.every(t => t.label && t.label !== t.key), 'labels from the dictionary');
  for (const cell of s.cells.slice(0, 4)) {
    const l = await bureau.get(`/api/cases?limit=1&org_id=${county}&from=${from}&to=${to}&dispute_type=${cell.dispute_type}&status=${cell.status}`);
    assert.equal(l.json.total, cell.count, `${cell.dispute_type}/${cell.status}`);
  }
  // a township's counts are part of the county's; this year's follow a registration
  const t = (await office.get(`/api/stats/cases?from=${from}&to=${to}`)).json;
  assert.equal(t.org.id, township);
  assert.ok(t.total < s.total);
  const now1 = (await office.get('/api/stats/cases')).json;
  assert.equal(now1.from, `${today().slice(0, 4)}-01-01`);
  assert.equal(now1.to, today());
  await mediator.post('/api/cases', newCase({ title: '统计测试甲与乙债务纠纷', dispute_type: 'debt' }));
  const now2 = (await office.get('/api/stats/cases')).json;
  assert.equal(now2.total, now1.total + 1);
  assert.equal(now2.by_status.find(x => x.key === 'registered').count,
    (now1.by_status.find(x => x.key === 'registered')?.count || 0) + 1);
  // bad input: 400 naming the field, in Chinese
  for (const [q, field] of [['from=2025-13-01', 'from'], ['to=abc', 'to'], [`from=${to}&to=${from}`, 'to'], ['org_id=x', 'org_id']]) {
    const e = await office.get('/api/stats/cases?' + q);
    assert.equal(e.status, 400, q);
    assert.equal(e.json.error.field, field, q);
    assert.match(e.json.error.message, /[\u4e00-\u9fa5]/);
  }
  const all = (await admin.get('/api/orgs')).json.items;
  const mine = all.find(o => o.id === township);
  const sibling = all.find(o => o.parent_id === mine.parent_id && o.id !== township);
  const e = await office.get(`/api/stats/cases?org_id=${sibling.id}`);
  assert.equal(e.status, 400, 'an org outside the caller\'s subtree');
  assert.equal(e.json.error.field, 'org_id');
});

test('64 concurrent registrations all land, numbered without gaps', async () => {
  const before1 = (await office.get('/api/cases?limit=1')).json.total;
  const rs = await Promise.all(Array.from({ length: 64 }, (_, i) =>
    mediator.post('/api/cases', newCase({ title: `并发登记${i}号甲与乙借款纠纷`, dispute_type: 'debt' }))));
  assert.deepEqual(rs.map(r => r.status), Array(64).fill(201), rs.find(r => r.status !== 201)?.text);
  const nos = rs.map(r => Number(/第(\d+)号/.exec(r.json.case_no)[1])).sort((a, b) => a - b);
  assert.equal(new Set(nos).size, 64, 'distinct case numbers');
  assert.equal(nos.at(-1) - nos[0], 63, 'consecutive case numbers');
  assert.equal((await office.get('/api/cases?limit=1')).json.total, before1 + 64);
});

test('the to-do list holds the committee\'s tasks, not the parties\' confirmation window', async () => {
  const c = (await mediator.post('/api/cases', newCase({ title: '待办测试甲与乙赡养纠纷', dispute_type: 'marriage_family' }))).json;
  const day = (n) => new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10);
  assert.equal((await mediator.post(`/api/cases/${c.id}/events/accept`, { accepted_on: day(50) })).status, 200);
  const [lead] = (await mediator.get(`/api/cases/${c.id}/suggest-mediators`)).json.items;
  assert.equal((await mediator.post(`/api/cases/${c.id}/events/assign`, { mediator_id: lead.id })).status, 200);
  let r = await mediator.post(`/api/cases/${c.id}/events/record_session`, { held_on: day(46), place: '调解室', participants: '甲、乙', content: '双方就赡养费数额协商。' });
  assert.equal(r.status, 200, r.text);
  r = await mediator.post(`/api/cases/${c.id}/events/agree`, { form: 'written', terms: '乙每月支付赡养费八百元', has_payment: true, amount: 80000, effective_on: day(45) });
  assert.equal(r.status, 200, r.text);
  const jc = r.json.deadlines.find(d => d.kind === 'judicial_confirmation');
  assert.equal(jc.state, 'overdue', 'the case shows the window, past its 30 days');
  const todo = await mediator.get('/api/todo?scope=org');
  assert.equal(todo.status, 200, todo.text);
  assert.ok(!todo.json.deadlines.some(d => d.kind === 'judicial_confirmation'), 'not a task of the committee');
  const list = await mediator.get('/api/cases?limit=50&status=agreed');
  assert.equal(list.json.items.find(i => i.id === c.id).overdue, false, 'nor does it make the case overdue');
});

test('a case keeps its earliest open deadline through every change, and the list and to-do read it', async () => {
  const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
  const expected = (id) => sql(`SELECT MIN(due_on) AS d FROM case_deadlines WHERE case_id = ${id}
    AND stopped_on IS NULL AND kind <> 'judicial_confirmation'`)[0].d;
  const stored = (id) => sql(`SELECT next_due_on AS d FROM cases WHERE id = ${id}`)[0].d;
  const c = (await mediator.post('/api/cases', newCase({ title: '期限测试甲与乙相邻关系纠纷', dispute_type: 'neighbour' }))).json;
  assert.equal(stored(c.id), null, 'registered: no deadline yet');
  // accepted 40 days ago: the 30-day mediation period is past
  let r = await mediator.post(`/api/cases/${c.id}/events/accept`, { accepted_on: day(-40) });
  assert.equal(r.status, 200, r.text);
  const due = r.json.deadlines.find(d => d.kind === 'mediation').due_on;
  assert.equal(stored(c.id), due);
  assert.ok(due < day(0));
  const row = async () => (await mediator.get('/api/cases?limit=100&status=accepted')).json.items.find(i => i.id === c.id);
  assert.equal((await row()).overdue, true);
  assert.ok((await mediator.get('/api/cases?overdue=1&limit=100')).json.items.some(i => i.id === c.id));
  assert.ok((await office.get('/api/todo?scope=org')).json.deadlines.some(d => d.id === c.id && d.due_on === due));
  // extended with the parties' consent to three weeks ahead: no longer overdue, and
  // outside the to-do list's due-soon window (3 days)
  r = await mediator.post(`/api/cases/${c.id}/events/extend`, { due_on: day(20), reason: '当事人外出务工', parties_consent: true });
  assert.equal(r.status, 200, r.text);
  const later = r.json.deadlines.find(d => d.kind === 'mediation').due_on;
  assert.ok(later >= day(20), later);
  assert.equal(stored(c.id), later);
  assert.equal((await row()).overdue, false);
  assert.ok(!(await mediator.get('/api/cases?overdue=1&limit=100')).json.items.some(i => i.id === c.id));
  assert.ok(!(await office.get('/api/todo?scope=org')).json.deadlines.some(d => d.id === c.id));
  // terminated: the mediation period stops, nothing is open any more
  r = await mediator.post(`/api/cases/${c.id}/events/terminate`, { reason_code: 'no_agreement', reason_text: '双方分歧较大', guidance: 'litigation' });
  assert.equal(r.status, 200, r.text);
  assert.equal(stored(c.id), expected(c.id));
  assert.ok(!(await office.get('/api/todo?scope=org')).json.deadlines.some(d => d.id === c.id && d.kind === 'mediation'));
  // and so for every case the tests of this file and the demo data touched
  const bad = sql(`SELECT id, next_due_on, (SELECT MIN(due_on) FROM case_deadlines dl WHERE dl.case_id = c.id
    AND dl.stopped_on IS NULL AND dl.kind <> 'judicial_confirmation') AS want FROM cases c
    WHERE next_due_on IS NOT want`);
  assert.deepEqual(bad, []);
  assert.ok(sql('SELECT COUNT(*) AS n FROM cases WHERE next_due_on IS NOT NULL')[0].n > 0);
});

test('a change by another process reaches the caches well before their 10 s age limit', async () => {
  let r = run(['user', 'add', '--db', srv.db, '--login', 'wangwu', '--org', '1', '--role', 'bureau_staff', '--name', '王五'], { input: 'Good-pass-2026\n' });
  assert.equal(r.status, 0, r.stderr);
  const c = new Client(srv.url);
  assert.equal((await c.login('wangwu', 'Good-pass-2026')).status, 200);
  // the caller is now kept in memory, and an answer in the cache
  assert.equal((await c.get('/api/auth/me')).status, 200);
  assert.equal((await c.get('/api/auth/me')).status, 200);
  const url = '/api/cases?limit=3';
  await admin.get(url);
  assert.equal((await admin.get(url)).headers.get('x-cache'), 'hit');
  await new Promise(res => setTimeout(res, 600)); // the upkeep thread has seen this state
  const t0 = Date.now();
  r = run(['user', 'disable', '--db', srv.db, '--login', 'wangwu']);
  assert.equal(r.status, 0, r.stderr);
  let status = 200;
  while (Date.now() - t0 < 4000 && status !== 401) {
    status = (await c.get('/api/auth/me')).status;
    if (status !== 401) await new Promise(res => setTimeout(res, 100));
  }
  assert.equal(status, 401, 'the account disabled from the command line is refused within 4 s');
  assert.equal((await admin.get(url)).headers.get('x-cache'), 'miss', 'and the cached answers are dropped');
});
