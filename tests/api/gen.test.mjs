// `tiaojie gen` and the demo county's cases: determinism, every case's data consistent
// with its state, valid identifiers, and the API (lists, filters, search, to-do,
// detail, registration and events) working on generated data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client, run, BIN } from '../lib/server.mjs';

const N = 20000;
const dirs = [];
let srv, office, mediator, bureau, admin, partner;

function tmp() { const d = mkdtempSync(join(tmpdir(), 'tiaojie-gen-')); dirs.push(d); return d; }

// Read-only SQL on a database file (WAL: fine next to a running server).
function sql(db, q) {
  const r = spawnSync('sqlite3', ['-readonly', '-json', db, q], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}
const one = (db, q) => Object.values(sql(db, q)[0] ?? {})[0];

function gen(dir, ...args) {
  const r = run(['gen', '--db', join(dir, 'tiaojie.db'), ...args]);
  assert.equal(r.status, 0, r.stderr);
  return r;
}

// GB 11643 check character; GB 32100 (MOD 31) check character.
function idCheck(s) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (s.charCodeAt(i) - 48) * w[i];
  return '10X98765432'[sum % 11];
}
function creditOk(s) {
  const cs = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += cs.indexOf(s[i]) * w[i];
  return cs[(31 - (sum % 31)) % 31] === s[17];
}

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

before(async () => {
  const dir = tmp();
  gen(dir, '--cases', String(N), '--seed', '7');
  srv = await startServer({ dir });
  office = new Client(srv.url); await office.login('office');
  mediator = new Client(srv.url); await mediator.login('mediator');
  bureau = new Client(srv.url); await bureau.login('bureau');
  admin = new Client(srv.url); await admin.login('admin');
  partner = new Client(srv.url); await partner.login('partner');
});
after(async () => {
  await srv?.stop({ keep: true });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('gen: --help, bad flags exit 2, an existing database exits 1 untouched', () => {
  const h = run(['gen', '--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /--cases/);
  const dir = tmp();
  const db = join(dir, 'x.db');
  for (const args of [[], ['--cases', '0'], ['--cases', 'abc'], ['--cases', '10', '--years', '9'],
    ['--cases', '10', '--seed', '-1'], ['--cases', '10', '--today', '2026-13-01'], ['--cases', '10', '--bogus'],
    ['--cases', '10', 'extra'], ['--cases']]) {
    const r = run(['gen', '--db', db, ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes('用法'), 'usage on stderr');
  }
  assert.equal(existsSync(db), false, 'bad flags create nothing');
  const r = run(['gen', '--db', srv.db, '--cases', '10']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /已有数据/);
});

test('deterministic: the same seed gives the same cases, another seed other cases', () => {
  const a = srv.db;
  const b = join(tmp(), 'tiaojie.db');
  const c = join(tmp(), 'tiaojie.db');
  const r = gen(join(b, '..'), '--cases', String(N), '--seed', '7');
  assert.match(r.stdout, new RegExp(`${N} 件案件`), 'a summary line');
  gen(join(c, '..'), '--cases', String(N), '--seed', '8');
  const counts = db => sql(db, `SELECT (SELECT COUNT(*) FROM cases) AS cases, (SELECT COUNT(*) FROM case_parties) AS parties,
    (SELECT COUNT(*) FROM case_events) AS events, (SELECT COUNT(*) FROM case_records) AS records,
    (SELECT COUNT(*) FROM case_deadlines) AS deadlines, (SELECT COUNT(*) FROM orgs) AS orgs,
    (SELECT COUNT(*) FROM persons) AS persons`)[0];
  const rows = db => sql(db, 'SELECT id, case_no, status, title, registered_on, party_names, amount, referrer_org_id FROM cases ORDER BY id');
  // the letters' disputes carry identity numbers sealed with each database's own key
  const letters = db => sql(db, `SELECT id, letter_no, letter_date, status, case_id, target_org_id, title, sent_on,
    received_on, decided_on, feedback_text, feedback_sent_on, acknowledged_at, updated_at FROM referrals ORDER BY id`);
  const timeline = db => sql(db, 'SELECT * FROM referral_events ORDER BY id');
  assert.deepEqual(counts(b), counts(a));
  assert.equal(counts(a).cases, N);
  const ra = rows(a), rb = rows(b), rc = rows(c);
  assert.deepEqual(rb, ra, 'same seed, same case numbers and contents');
  assert.deepEqual(letters(b), letters(a), 'same seed, same referral letters');
  assert.deepEqual(timeline(b), timeline(a), 'same seed, same referral timelines');
  const same = rc.filter((x, i) => x.title === ra[i].title).length;
  assert.ok(same < N / 10, `another seed gives other cases (${same} equal titles)`);
});

test('the tables written page by page hold what the ordinary appender writes, in a sound file', async () => {
  const a = srv.db;
  const dir = tmp();
  // spawned without blocking the event loop: a blocked loop would keep an idle
  // keep-alive socket the server has meanwhile closed (its 30 s timeout), and the next
  // request would be sent on it
  const status = await new Promise((resolve, reject) => {
    const p = spawn(BIN, ['gen', '--db', join(dir, 'tiaojie.db'), '--cases', String(N), '--seed', '7'],
      { env: { ...process.env, TJ_GEN_NO_BULK: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
    p.on('error', reject);
    p.on('close', resolve);
  });
  assert.equal(status, 0);
  const b = join(dir, 'tiaojie.db');
  assert.equal(one(a, 'PRAGMA integrity_check'), 'ok');
  // every column and rowid, but the parties' sealed identity numbers and their keyed
  // index (each database has its own key); one sqlite3 run, so that the event loop is
  // not blocked for long
  const tables = {
    case_events: '*', case_search: '*', case_records: '*', case_agreements: '*',
    case_terminations: '*', case_follow_ups: '*', referral_events: '*', case_deadlines: '*',
    case_mediators: '*',
    case_parties: 'id, case_id, position, role, kind, name, sex, ethnicity, birth_date, occupation,' +
      ' id_masked, credit_code, legal_rep, phone, address, agent_name, agent_phone, agent_relation',
  };
  const parts = Object.entries(tables).map(([t, cols]) => `SELECT '${t}' AS t,
    (SELECT COUNT(*) FROM main.${t}) AS bulk, (SELECT COUNT(*) FROM b.${t}) AS plain,
    (SELECT COUNT(*) FROM (SELECT rowid, ${cols} FROM main.${t} EXCEPT SELECT rowid, ${cols} FROM b.${t})) AS differ`);
  const cmp = spawnSync('sqlite3', ['-readonly', '-json', a, `ATTACH '${b}' AS b;` + parts.join(' UNION ALL ')],
    { encoding: 'utf8', maxBuffer: 16 << 20 });
  assert.equal(cmp.status, 0, cmp.stderr);
  const res = JSON.parse(cmp.stdout);
  assert.equal(res.length, Object.keys(tables).length);
  for (const r of res) {
    assert.ok(r.bulk > 0, `${r.t} has rows`);
    assert.equal(r.bulk, r.plain, `${r.t}: as many rows`);
    assert.equal(r.differ, 0, `${r.t}: the same rows`);
  }
  // and the indexes find them: each case's timeline through case_events_case
  const viaIndex = db => sql(db, `SELECT case_id, COUNT(*) AS n, MAX(id) AS last FROM case_events
    INDEXED BY case_events_case WHERE case_id BETWEEN 100 AND 400 GROUP BY case_id ORDER BY case_id`);
  assert.deepEqual(viaIndex(a), viaIndex(b));
  assert.equal(one(a, `SELECT COUNT(*) FROM case_parties INDEXED BY case_parties_case WHERE case_id > 0`),
    one(a, 'SELECT COUNT(*) FROM case_parties'));
});

test('every case state is consistent with its data', () => {
  const db = srv.db;
  const bad = (what, q) => assert.equal(one(db, q), 0, what);
  const st = Object.fromEntries(sql(db, 'SELECT status, COUNT(*) AS n FROM cases GROUP BY status').map(r => [r.status, r.n]));
  for (const s of ['registered', 'accepted', 'mediating', 'agreed', 'terminated', 'closed', 'archived', 'refused', 'withdrawn'])
    assert.ok(st[s] > 0, `some cases are ${s}: ${JSON.stringify(st)}`);
  assert.ok(st.archived > N / 2, 'most old cases are archived');
  bad('agreed cases have an agreement and agreed_on', `SELECT COUNT(*) FROM cases c WHERE c.agreed_on IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM case_agreements a WHERE a.case_id = c.id)`);
  bad('agreement ⇔ agreed_on', `SELECT COUNT(*) FROM case_agreements a JOIN cases c ON c.id = a.case_id WHERE c.agreed_on IS NULL
      OR a.effective_on > c.agreed_on OR (a.has_payment = 1) <> (a.amount > 0)`);
  bad('status agreed: agreement, not closed', `SELECT COUNT(*) FROM cases WHERE status = 'agreed' AND (agreed_on IS NULL OR closed_on IS NOT NULL)`);
  bad('terminated: termination row', `SELECT COUNT(*) FROM cases c WHERE (c.status = 'terminated' OR c.terminated_on IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM case_terminations t WHERE t.case_id = c.id)`);
  bad('closed: closed_on, agreed or terminated first', `SELECT COUNT(*) FROM cases WHERE status = 'closed'
      AND (closed_on IS NULL OR archived_on IS NOT NULL OR (agreed_on IS NULL AND terminated_on IS NULL))`);
  bad('archived: archived_on', `SELECT COUNT(*) FROM cases WHERE (status = 'archived') <> (archived_on IS NOT NULL)`);
  // archived at most 400 days after closing: no case is left with a follow-up overdue for years
  const before = new Date(Date.now() + 8 * 3600e3 - 401 * 86400e3).toISOString().slice(0, 10);
  bad('closed over 400 days ago: archived', `SELECT COUNT(*) FROM cases WHERE status = 'closed' AND closed_on < '${before}'`);
  bad('archived: no open deadline', `SELECT COUNT(*) FROM case_deadlines d JOIN cases c ON c.id = d.case_id
      WHERE c.status = 'archived' AND d.stopped_on IS NULL`);
  bad('refused/withdrawn carry their reason', `SELECT COUNT(*) FROM cases WHERE (status = 'refused' AND refuse_reason IS NULL)
      OR (status = 'withdrawn' AND withdraw_reason IS NULL)`);
  bad('registered: not accepted yet', `SELECT COUNT(*) FROM cases WHERE status = 'registered' AND accepted_on IS NOT NULL`);
  bad('accepted/mediating: an open mediation deadline due on due_on', `SELECT COUNT(*) FROM cases c WHERE c.status IN ('accepted','mediating')
      AND NOT EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.kind = 'mediation'
      AND d.stopped_on IS NULL AND d.due_on = c.due_on AND d.started_on = c.accepted_on)`);
  bad('mediating: at least one record; agreed: a session before', `SELECT COUNT(*) FROM cases c WHERE (c.status = 'mediating' OR c.agreed_on IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM case_records r WHERE r.case_id = c.id AND r.held_on <= COALESCE(c.agreed_on, r.held_on))`);
  bad('stopped deadlines stop on or after they start', `SELECT COUNT(*) FROM case_deadlines WHERE stopped_on < started_on OR due_on < started_on`);
  bad('referral feedback only for referred cases, judicial confirmation only for written agreements',
    `SELECT COUNT(*) FROM case_deadlines d JOIN cases c ON c.id = d.case_id LEFT JOIN case_agreements a ON a.case_id = c.id
      WHERE (d.kind = 'feedback' AND c.is_referral = 0) OR (d.kind = 'judicial_confirmation' AND COALESCE(a.form, '') <> 'written')`);
  bad('dates in order', `SELECT COUNT(*) FROM cases WHERE accepted_on < registered_on OR agreed_on < accepted_on
      OR closed_on < COALESCE(agreed_on, terminated_on) OR archived_on < COALESCE(closed_on, registered_on)
      OR registered_on >= '${today()}' OR occurred_on > registered_on`);
  bad('the timeline ends in the case state and its times increase', `SELECT COUNT(*) FROM cases c WHERE c.status <>
      (SELECT e.state_to FROM case_events e WHERE e.case_id = c.id ORDER BY e.id DESC LIMIT 1)
      OR c.updated_at <> (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = c.id)
      OR EXISTS (SELECT 1 FROM case_events e JOIN case_events f ON f.case_id = e.case_id AND f.id = e.id + 1 WHERE e.case_id = c.id AND f.at < e.at)`);
  bad('the timeline starts with registration', `SELECT COUNT(*) FROM cases c WHERE (SELECT e.event FROM case_events e WHERE e.case_id = c.id ORDER BY e.id LIMIT 1) <> 'register'`);
  bad('lead mediator assigned from the case', `SELECT COUNT(*) FROM cases c WHERE c.lead_mediator_id IS NOT NULL AND NOT EXISTS
      (SELECT 1 FROM case_mediators m WHERE m.case_id = c.id AND m.person_id = c.lead_mediator_id AND m.lead = 1)`);
  bad('mediators work in the handling org or its township committee', `SELECT COUNT(*) FROM case_mediators m JOIN cases c ON c.id = m.case_id
      WHERE NOT EXISTS (SELECT 1 FROM person_orgs po JOIN orgs o ON o.id = po.org_id WHERE po.person_id = m.person_id
      AND o.path >= c.org_path AND o.path < c.org_path || '~')`);
  const numbered = `SELECT registered_org_id AS o, CAST(substr(registered_on, 1, 4) AS INTEGER) AS y, COUNT(*) AS k FROM cases GROUP BY 1, 2`;
  bad('case numbers continue where the cases stop', `SELECT COUNT(*) FROM case_numbers n LEFT JOIN (${numbered}) x
      ON x.o = n.org_id AND x.y = n.year WHERE x.k IS NULL OR x.k <> n.last_no`);
  assert.equal(one(db, `SELECT COUNT(*) FROM (${numbered})`), one(db, 'SELECT COUNT(*) FROM case_numbers'));
  assert.equal(one(db, 'SELECT COUNT(DISTINCT case_no) FROM cases'), N, 'case numbers are unique');
  bad('every case is indexed for search', `SELECT COUNT(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_search s WHERE s.case_id = c.id)`);
  assert.equal(one(db, "SELECT COUNT(*) FROM case_fts WHERE case_fts MATCH '\"调解\"'") > 0, true);
  bad('escalated cases are handled above the village that registered them', `SELECT COUNT(*) FROM cases WHERE org_id <> registered_org_id
      AND NOT (registered_org_path LIKE org_path || '%')`);
  assert.ok(one(db, 'SELECT COUNT(*) FROM cases WHERE org_id <> registered_org_id') > 0, 'some cases were escalated');
  assert.equal(one(db, 'PRAGMA journal_mode'), 'wal', 'an ordinary WAL database');
  assert.equal(one(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case_search'"), 3, 'search triggers in place');
  assert.equal(one(db, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('cases_org','cases_reg_org','case_parties_id_index','case_mediators_person')"), 4, 'indexes rebuilt');
});

test('referrals: each referral case came with its partner\'s letter, as the API would have written it', () => {
  const db = srv.db;
  const bad = (what, q) => assert.equal(one(db, q), 0, what);
  const st = Object.fromEntries(sql(db, 'SELECT status, COUNT(*) AS n FROM referrals GROUP BY status').map(r => [r.status, r.n]));
  const refCases = one(db, "SELECT COUNT(*) FROM cases WHERE source = 'referral'");
  const withCase = one(db, 'SELECT COUNT(*) FROM referrals WHERE case_id IS NOT NULL');
  const caseless = one(db, 'SELECT COUNT(*) FROM referrals WHERE case_id IS NULL');
  assert.ok(refCases > N / 8 && refCases < N / 3, `${refCases} referral cases`);
  assert.equal(withCase, refCases, 'a letter for every referral case');
  assert.ok(caseless > refCases / 50 && caseless < refCases / 8, `${caseless} letters without a case`);
  assert.deepEqual(Object.keys(st).filter(s => !['sent', 'received', 'accepted', 'returned', 'disputed', 'feedback_sent', 'acknowledged'].includes(s)), [],
    'no drafts, approvals or cancellations: generated letters were all sent');
  assert.ok(st.acknowledged > withCase * 0.8, `most letters are closed: ${JSON.stringify(st)}`);
  assert.ok(st.accepted > 0 && st.feedback_sent > 0 && st.accepted + st.feedback_sent < withCase / 5, JSON.stringify(st));
  assert.ok((st.sent ?? 0) + (st.received ?? 0) > 0, `some letters await the committee's decision: ${JSON.stringify(st)}`);
  assert.ok(one(db, 'SELECT COUNT(*) FROM referrals WHERE return_reason_code IS NOT NULL') > 0, 'some letters were returned');
  const ch = Object.fromEntries(sql(db, 'SELECT channel, COUNT(*) AS n FROM referrals GROUP BY channel').map(r => [r.channel, r.n]));
  assert.ok(ch.police > ch.court && ch.petition > ch.procuratorate && ch.court > ch.procuratorate && ch.admin > 0, JSON.stringify(ch));

  bad('each referral case has exactly one letter, accepted or later, from the case\'s referrer',
    `SELECT COUNT(*) FROM cases c WHERE c.source = 'referral' AND (SELECT COUNT(*) FROM referrals r WHERE r.case_id = c.id
      AND r.partner_org_id = c.referrer_org_id AND r.status IN ('accepted', 'feedback_sent', 'acknowledged')) <> 1`);
  bad('only referral cases have a referrer', `SELECT COUNT(*) FROM cases WHERE (referrer_org_id IS NOT NULL) <> (source = 'referral')`);
  bad('a letter with a case is the dispute the case was registered from, accepted at its registration',
    `SELECT COUNT(*) FROM referrals r JOIN cases c ON c.id = r.case_id WHERE r.title <> c.title OR r.party_names <> c.party_names
      OR r.dispute_type <> c.dispute_type OR r.target_org_id <> c.registered_org_id OR r.decided_on <> c.accepted_on
      OR c.accepted_on <> c.registered_on OR json_extract(r.dispute, '$.facts') <> c.facts
      OR json_array_length(r.dispute, '$.parties') <> (SELECT COUNT(*) FROM case_parties p WHERE p.case_id = c.id)
      OR (SELECT e.at FROM referral_events e WHERE e.referral_id = r.id AND e.event = 'accept')
         <> (SELECT e.at FROM case_events e WHERE e.case_id = c.id AND e.event = 'register')`);
  bad('identity numbers in a letter are sealed and masked, never plain', `SELECT COUNT(*) FROM referrals r, json_each(r.dispute, '$.parties') p
    WHERE json_extract(p.value, '$.id_number') IS NOT NULL OR (json_extract(p.value, '$.id_sealed') IS NULL) <> (json_extract(p.value, '$.id_number_masked') IS NULL)`);
  bad('a letter without a case was returned or awaits a decision', `SELECT COUNT(*) FROM referrals WHERE case_id IS NULL
      AND NOT ((status IN ('sent', 'received') AND decided_on IS NULL AND sent_on >= date('${today()}', '-16 days'))
      OR (status IN ('returned', 'disputed', 'acknowledged') AND return_reason_code IS NOT NULL AND return_reason_text IS NOT NULL AND decided_on IS NOT NULL))`);
  bad('targets: committees and dispatched rooms of the partner\'s county', `SELECT COUNT(*) FROM referrals r JOIN orgs t ON t.id = r.target_org_id
      JOIN orgs p ON p.id = r.partner_org_id JOIN orgs pp ON pp.id = p.parent_id WHERE t.kind NOT IN ('committee', 'dispatched_room')
      OR t.path <> r.target_org_path OR p.path <> r.partner_org_path OR substr(t.path, 1, length(pp.path)) <> pp.path
      OR r.channel <> p.partner_type`);
  bad('dates in order, none today or later', `SELECT COUNT(*) FROM referrals WHERE letter_date > sent_on OR received_on < letter_date OR received_on > sent_on
      OR decided_on < received_on OR feedback_sent_on < decided_on OR substr(acknowledged_at, 1, 10) < COALESCE(feedback_sent_on, decided_on)
      OR sent_on >= '${today()}' OR accept_due_on < received_on`);
  bad('the timeline starts with the draft, ends in the status, times never go back', `SELECT COUNT(*) FROM referrals r WHERE
      (SELECT e.event FROM referral_events e WHERE e.referral_id = r.id ORDER BY e.id LIMIT 1) <> 'create'
      OR r.status <> (SELECT e.state_to FROM referral_events e WHERE e.referral_id = r.id ORDER BY e.id DESC LIMIT 1)
      OR r.updated_at <> (SELECT MAX(e.at) FROM referral_events e WHERE e.referral_id = r.id)
      OR r.created_at <> (SELECT MIN(e.at) FROM referral_events e WHERE e.referral_id = r.id)
      OR EXISTS (SELECT 1 FROM referral_events e JOIN referral_events f ON f.referral_id = e.referral_id AND f.id = e.id + 1
        WHERE e.referral_id = r.id AND (f.at < e.at OR f.state_from <> e.state_to))`);
  bad('approved, received and decided as the API records it', `SELECT COUNT(*) FROM referrals WHERE approved_at IS NULL OR approved_by_name IS NULL
      OR submitted_at IS NULL OR sent_on IS NULL OR accept_due_on IS NULL OR (decided_on IS NOT NULL AND receipt_at IS NULL)
      OR (receipt_at IS NOT NULL) <> (receipt_by_name IS NOT NULL)`);
  bad('feedback: on an ended case, its period from the case, which it stops',
    `SELECT COUNT(*) FROM referrals r JOIN cases c ON c.id = r.case_id LEFT JOIN case_deadlines d ON d.case_id = c.id AND d.kind = 'feedback'
      WHERE r.feedback_sent_on IS NOT NULL AND (r.feedback_text NOT LIKE '%' || c.case_no || '%特此反馈。'
      OR r.feedback_outcome <> CASE WHEN c.agreed_on IS NOT NULL THEN 'agreed' WHEN c.terminated_on IS NOT NULL THEN 'terminated' ELSE 'withdrawn' END
      OR COALESCE(r.feedback_due_on, '') <> COALESCE(d.due_on, '') OR (d.case_id IS NOT NULL AND d.stopped_on > r.feedback_sent_on)
      OR (d.case_id IS NOT NULL AND d.stopped_on IS NULL))`);
  bad('no feedback yet: the case\'s period still runs unless archived', `SELECT COUNT(*) FROM referrals r JOIN cases c ON c.id = r.case_id
      JOIN case_deadlines d ON d.case_id = c.id AND d.kind = 'feedback' WHERE r.feedback_sent_on IS NULL AND c.status <> 'archived' AND d.stopped_on IS NOT NULL`);
  bad('the earliest open deadline is kept on the case', `SELECT COUNT(*) FROM cases c WHERE COALESCE(c.next_due_on, '') <> COALESCE((SELECT MIN(d.due_on)
      FROM case_deadlines d WHERE d.case_id = c.id AND d.stopped_on IS NULL AND d.kind <> 'judicial_confirmation'), '')`);
  bad('a disputed return has its consultation', `SELECT COUNT(*) FROM referrals r WHERE EXISTS (SELECT 1 FROM referral_events e WHERE e.referral_id = r.id AND e.event = 'dispute')
      <> EXISTS (SELECT 1 FROM referral_consultations k WHERE k.referral_id = r.id AND k.returned_by_org_id = r.target_org_id)
      OR (r.status = 'disputed') <> EXISTS (SELECT 1 FROM referral_consultations k WHERE k.referral_id = r.id AND k.decided_at IS NULL)`);
  bad('the search scope names the referrer', `SELECT COUNT(*) FROM cases c JOIN case_search s ON s.case_id = c.id
      WHERE c.referrer_org_id IS NOT NULL AND ' ' || s.scope || ' ' NOT LIKE '% p' || c.referrer_org_id || ' %'`);
  assert.equal(one(db, "SELECT COUNT(*) FROM case_fts WHERE case_fts MATCH 'scope : p' || (SELECT MIN(referrer_org_id) FROM cases)"),
    one(db, 'SELECT COUNT(*) FROM cases WHERE referrer_org_id = (SELECT MIN(referrer_org_id) FROM cases)'), 'the full-text index has the scope too');
  bad('letter numbers unique within a partner', 'SELECT COUNT(*) - COUNT(DISTINCT partner_org_id || \'|\' || letter_no) FROM referrals');
  assert.equal(one(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('referrals_letter', 'referrals_partner', 'referrals_target', 'referrals_case', 'referrals_sent', 'referral_events_referral')"), 6, 'referral indexes rebuilt');
  const t = sql(db, `SELECT SUM(decided_on <= accept_due_on) AS a_on, SUM(decided_on > accept_due_on) AS a_late,
    SUM(feedback_sent_on <= feedback_due_on) AS f_on, SUM(feedback_sent_on > feedback_due_on) AS f_late FROM referrals`)[0];
  assert.ok(t.a_on > 5 * t.a_late && t.a_late > 0, `accepted or returned mostly on time, some late: ${JSON.stringify(t)}`);
  assert.ok(t.f_on > 4 * t.f_late && t.f_late > 0, `feedback mostly on time, some late: ${JSON.stringify(t)}`);
});

test('referrals through the API: the partner\'s letters and cases, both sides\' to-do lists', async () => {
  const db = srv.db;
  const org = partner.user.org_id;
  const mine = one(db, `SELECT COUNT(*) FROM referrals WHERE partner_org_id = ${org}`);
  assert.ok(mine > 20, `the partner account's station referred ${mine} letters`);
  let r = await partner.get('/api/referrals?limit=100');
  assert.equal(r.status, 200);
  assert.equal(r.json.total, mine);
  assert.ok(r.json.items.every(x => x.partner_org_id === org));
  // one accepted letter in detail, as the API shows it
  const id = one(db, `SELECT MAX(id) FROM referrals WHERE partner_org_id = ${org} AND status = 'acknowledged' AND case_id IS NOT NULL`);
  const d = (await partner.get(`/api/referrals/${id}`)).json;
  assert.equal(d.status, 'acknowledged');
  assert.equal(d.status_label, '已确认');
  assert.ok(d.case && d.case.id && ['agreed', 'terminated', 'withdrawn', 'closed', 'archived'].includes(d.case.status), JSON.stringify(d.case));
  assert.deepEqual(d.timeline.map(e => e.event).filter(e => !['submit', 'receipt'].includes(e)), ['create', 'approve', 'accept', 'feedback', 'acknowledge']);
  assert.ok(d.timeline.every(e => e.label && e.summary && e.org_name));
  assert.ok(['on_time', 'late'].includes(d.accept.timeliness) && d.feedback.sent === true, JSON.stringify(d.feedback));
  assert.ok(d.dispute.parties.length >= 2 && !JSON.stringify(d).includes('id_sealed'));
  assert.deepEqual(d.allowed_actions, []);
  // its cases, through referrer_org_id and the search scope
  const cases = one(db, `SELECT COUNT(*) FROM cases WHERE referrer_org_id = ${org}`);
  r = await partner.get('/api/cases?limit=5');
  assert.equal(r.json.total, cases, 'the partner reads the cases it referred');
  r = await partner.get('/api/cases?limit=5&q=' + encodeURIComponent('纠纷'));
  assert.equal(r.json.total, cases, 'and finds them by search');
  assert.equal((await partner.get(`/api/cases/${d.case.id}`)).status, 200);

  // to-do lists: what each side has to do, exactly the letters in that state
  const ended = `(c.agreed_on IS NOT NULL OR c.terminated_on IS NOT NULL OR c.status IN ('withdrawn', 'archived'))`;
  const expect = (where, tasks) => Object.fromEntries(sql(db, `SELECT r.id, CASE ${tasks} END AS task FROM referrals r
    LEFT JOIN cases c ON c.id = r.case_id WHERE ${where} AND (CASE ${tasks} END) IS NOT NULL`).map(x => [x.id, x.task]));
  const got = async cl => Object.fromEntries((await cl.get('/api/todo')).json.referrals.items.map(x => [x.id, x.task]));
  const ptasks = `WHEN r.status IN ('sent', 'received') THEN 'await_decision' WHEN r.status = 'returned' THEN 'review_return'
    WHEN r.status = 'feedback_sent' THEN 'acknowledge' WHEN r.status = 'accepted' AND ${ended} THEN 'await_feedback'`;
  const pt = await got(partner);
  assert.deepEqual(pt, expect(`r.partner_org_id = ${org}`, ptasks));
  assert.ok(Object.values(pt).includes('acknowledge'), JSON.stringify(pt));
  // the county bureau: the letters to decide on and the feedback to send in its county
  const bpath = one(db, `SELECT path FROM orgs WHERE id = ${bureau.user.org_id}`);
  const inCounty = `(r.target_org_path >= '${bpath}' AND r.target_org_path < '${bpath.slice(0, -1)}0')`;
  const btasks = `WHEN r.status IN ('sent', 'received') THEN 'accept_or_return' WHEN r.status = 'accepted' AND ${ended} THEN 'send_feedback'
    WHEN r.status = 'disputed' THEN 'consult'`;
  const bt = await got(bureau);
  assert.deepEqual(bt, expect(inCounty, btasks));
  assert.ok(Object.values(bt).includes('send_feedback'), JSON.stringify(bt));
  const pending = one(db, `SELECT COUNT(*) FROM referrals r WHERE r.status IN ('sent', 'received')`);
  assert.ok(pending > 0);
  const at = await got(admin);
  assert.equal(Object.values(at).filter(x => x === 'accept_or_return').length, pending, 'the province sees every letter awaiting a decision');
  r = await bureau.get('/api/referrals?status=sent,received&limit=100');
  assert.equal(r.json.total, one(db, `SELECT COUNT(*) FROM referrals r WHERE r.status IN ('sent', 'received') AND (${inCounty}
    OR (r.partner_org_path >= '${bpath}' AND r.partner_org_path < '${bpath.slice(0, -1)}0'))`));
  assert.ok(r.json.items.every(x => x.accept.due_on && x.accept.state), 'the inbox countdown');
  // statistics over the generated letters
  const s = (await bureau.get('/api/referrals/stats?from=2000-01-01')).json;
  assert.ok(s.total.referred > 100 && s.total.accepted > 0 && s.total.feedback_on_time > 0, JSON.stringify(s.total));
  assert.ok(s.total.accept_on_time_rate > 0.8 && s.total.accept_on_time_rate < 1, JSON.stringify(s.total));
});

test('referral lists: every caller\'s pages, newest first, are exactly the letters it may see', async () => {
  const db = srv.db;
  const path = (c) => one(db, `SELECT path FROM orgs WHERE id = ${c.user.org_id}`);
  const range = (col, p) => `(r.${col} >= '${p}' AND r.${col} < '${p.slice(0, -1)}0')`;
  const seen = (p) => `r.sent_on IS NOT NULL AND (${range('target_org_path', p)} OR ${range('partner_org_path', p)})`;
  const cases = [
    ['admin (the province, read by id)', admin, seen(path(admin)), ''],
    ['bureau (a county, from the indexes)', bureau, seen(path(bureau)), ''],
    ['office (a township)', office, seen(path(office)), ''],
    ['partner (its own letters)', partner, `r.partner_org_id = ${partner.user.org_id}`, ''],
    ['admin, a status filter', admin, `${seen(path(admin))} AND r.status IN ('acknowledged', 'returned')`, '&status=acknowledged,returned'],
  ];
  for (const [who, cl, where, q] of cases) {
    const want = sql(db, `SELECT r.id FROM referrals r WHERE ${where} ORDER BY r.id DESC`).map(x => x.id);
    assert.ok(want.length > 0, who);
    const ids = [];
    let cursor = '', total, pages = 0;
    // pages of 40 up to 200 letters (or the end)
    do {
      const r = await cl.get(`/api/referrals?limit=40${q}${cursor ? '&cursor=' + cursor : ''}`);
      assert.equal(r.status, 200, r.text);
      total = r.json.total;
      ids.push(...r.json.items.map(x => x.id));
      assert.ok(r.json.items.every(x => x.partner_org_name && x.target_org_name), who);
      cursor = r.json.next_cursor;
      pages++;
    } while (cursor && pages < 5);
    assert.equal(total, want.length, `${who}: total`);
    assert.equal(ids.length, Math.min(want.length, 200), `${who}: every page full until the end`);
    assert.deepEqual(ids, want.slice(0, ids.length), `${who}: the pages in order`);
  }
});

test('identifiers: identity numbers, credit codes and phones are valid; masked, sealed, indexed', async () => {
  const db = srv.db;
  const parties = sql(db, `SELECT p.kind, p.sex, p.birth_date, p.id_masked, p.id_index, p.id_cipher, p.credit_code, p.phone
    FROM case_parties p WHERE p.case_id % 7 = 0`);
  const counties = new Set(sql(db, 'SELECT code FROM regions WHERE length(code) = 6').map(r => r.code));
  let ids = 0, codes = 0;
  for (const p of parties) {
    if (p.id_masked) {
      ids++;
      assert.match(p.id_masked, /^\d{6}\*{8}\d{3}[\dX]$/);
      assert.ok(counties.has(p.id_masked.slice(0, 6)), 'issued in a county of the province');
      assert.match(p.id_index, /^[0-9a-f]{64}$/);
      assert.match(p.id_cipher, /^[A-Za-z0-9+/]{40,}={0,2}$/, 'sealed');
      assert.equal(p.kind, 'person');
      assert.ok(p.birth_date >= '1945-01-01' && p.birth_date <= '2005-12-31');
      // the 17th digit (odd = male) is masked; its sex and birth date agree with the API's reading
      assert.ok(['male', 'female'].includes(p.sex));
    }
    if (p.credit_code) { codes++; assert.ok(creditOk(p.credit_code), p.credit_code); assert.notEqual(p.kind, 'person'); }
    if (p.phone) assert.match(p.phone, /^1[3-9]\d{9}$/);
  }
  assert.ok(ids > parties.length / 2 && codes > 0, `${ids} identity numbers, ${codes} credit codes`);
  // persons' numbers decrypt (same key, same sealing as the parties') and pass GB 11643
  const people = (await office.get('/api/people?kind=mediator&limit=20')).json.items;
  assert.ok(people.length > 5);
  for (const p of people.slice(0, 8)) {
    // unmask only reads; retried once because the long SQL checks before may leave an idle
    // keep-alive socket the server has already closed
    const r = await office.post(`/api/people/${p.id}/unmask`).catch(() => office.post(`/api/people/${p.id}/unmask`));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const id = r.json.id_number;
    assert.match(id, /^\d{17}[\dX]$/);
    assert.equal(id[17], idCheck(id), `check digit of ${id}`);
    assert.equal(id.slice(0, 6) + '********' + id.slice(14), p.id_number_masked);
  }
});

test('lists: totals, org subtree + status + type filters, newest first, keyset pages', async () => {
  const db = srv.db;
  const me = office.user;
  const path = one(db, `SELECT path FROM orgs WHERE id = ${me.org_id}`);
  const inScope = `((org_path >= '${path}' AND org_path < '${path.slice(0, -1)}0') OR (registered_org_path >= '${path}' AND registered_org_path < '${path.slice(0, -1)}0'))`;
  let r = await office.get('/api/cases?limit=20');
  assert.equal(r.status, 200);
  assert.equal(r.json.total, one(db, `SELECT COUNT(*) FROM cases WHERE ${inScope}`));
  assert.ok(r.json.total > 100, 'a township sees its villages');
  const ids = r.json.items.map(x => x.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  const r2 = await office.get('/api/cases?limit=20&cursor=' + r.json.next_cursor);
  assert.ok(r2.json.items.every(x => x.id < ids.at(-1)));
  r = await office.get(`/api/cases?org_id=${me.org_id}&status=archived&dispute_type=neighbour&limit=100`);
  assert.equal(r.status, 200);
  assert.ok(r.json.total > 0);
  assert.ok(r.json.items.every(x => x.status === 'archived' && x.dispute_type === 'neighbour'));
  assert.equal(r.json.total, one(db, `SELECT COUNT(*) FROM cases WHERE org_path >= '${path}' AND org_path < '${path.slice(0, -1)}0' AND status = 'archived' AND dispute_type = 'neighbour'`));
  // a county and a year: the dashboard-like count
  const year = String(new Date().getFullYear() - 1);
  r = await bureau.get(`/api/cases?from=${year}-01-01&to=${year}-12-31&limit=1`);
  const bpath = one(db, `SELECT path FROM orgs WHERE id = ${bureau.user.org_id}`);
  assert.equal(r.json.total, one(db, `SELECT COUNT(*) FROM cases WHERE registered_on BETWEEN '${year}-01-01' AND '${year}-12-31'
    AND ((org_path >= '${bpath}' AND org_path < '${bpath.slice(0, -1)}0') OR (registered_org_path >= '${bpath}' AND registered_org_path < '${bpath.slice(0, -1)}0'))`));
  r = await admin.get('/api/cases?limit=1');
  assert.equal(r.json.total, N, 'the province sees every case');
  r = await admin.get('/api/cases?overdue=1&limit=5');
  assert.ok(r.json.total > 0 && r.json.items.every(x => x.overdue));
});

test('two-character Chinese search: 彩礼 and 宅基 find exactly the cases whose text has them', async () => {
  const db = srv.db;
  const path = one(db, `SELECT path FROM orgs WHERE id = ${bureau.user.org_id}`);
  for (const word of ['彩礼', '宅基', '欠条']) {
    const r = await bureau.get('/api/cases?limit=50&q=' + encodeURIComponent(word));
    assert.equal(r.status, 200);
    const expect = one(db, `SELECT COUNT(*) FROM cases c WHERE ((c.org_path >= '${path}' AND c.org_path < '${path.slice(0, -1)}0')
      OR (c.registered_org_path >= '${path}' AND c.registered_org_path < '${path.slice(0, -1)}0')) AND (
      c.case_no || '|' || c.title || '|' || c.facts || '|' || c.claims || '|' || COALESCE(c.place, '') LIKE '%${word}%'
      OR EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.name || '|' || COALESCE(p.agent_name, '') || '|' || COALESCE(p.address, '') LIKE '%${word}%')
      OR EXISTS (SELECT 1 FROM case_records x WHERE x.case_id = c.id AND x.content LIKE '%${word}%'))`);
    assert.ok(expect > 10, `${word}: ${expect} cases in the county`);
    assert.equal(r.json.total, expect, word);
    for (const x of r.json.items.slice(0, 5)) {
      const d = (await bureau.get(`/api/cases/${x.id}`)).json;
      const text = [d.title, d.facts, d.claims, ...d.records.map(y => y.content)].join('\n');
      assert.ok(text.includes(word), `${x.case_no} mentions ${word}`);
    }
  }
  const r = await office.get('/api/cases?limit=5&q=' + encodeURIComponent('宅基地纠纷'));
  assert.ok(r.json.total > 0, 'a phrase of bigrams');
});

test('detail and timeline of generated cases read like the API wrote them', async () => {
  const db = srv.db;
  const bpath = one(db, `SELECT path FROM orgs WHERE id = ${bureau.user.org_id}`);
  const pick = sql(db, `SELECT MIN(id) AS id, status FROM cases WHERE org_path >= '${bpath}' AND org_path < '${bpath.slice(0, -1)}0' GROUP BY status`);
  for (const { id, status } of pick) {
    const r = await bureau.get(`/api/cases/${id}`);
    assert.equal(r.status, 200);
    const c = r.json;
    assert.equal(c.status, status);
    assert.equal(c.timeline[0].event, 'register');
    assert.equal(c.timeline.at(-1).state_to ?? status, status);
    assert.ok(c.timeline.every(e => e.summary && e.at && e.label));
    assert.ok(c.parties.length >= 2 && c.parties.some(p => p.role === 'applicant') && c.parties.some(p => p.role === 'respondent'));
    if (['agreed', 'closed'].includes(status) && c.agreement) assert.ok(c.agreed_on);
    if (status === 'archived') assert.ok(c.deadlines.every(d => d.state === 'stopped'));
    if (['accepted', 'mediating'].includes(status)) assert.ok(c.deadlines.some(d => d.kind === 'mediation' && d.state !== 'stopped'));
  }
});

test('to-do lists: overdue and due-soon deadlines in scope, mine for the mediator', async () => {
  let r = await office.get('/api/todo?scope=org');
  assert.equal(r.status, 200);
  const t = today();
  assert.ok(r.json.deadlines.length > 0);
  assert.ok(r.json.counts.overdue > 0, 'some deadlines are overdue');
  const dues = r.json.deadlines.map(d => d.due_on);
  assert.deepEqual(dues, [...dues].sort());
  const soon = new Date(Date.now() + 8 * 3600e3 + 3 * 86400e3).toISOString().slice(0, 10);
  assert.ok(r.json.deadlines.every(d => d.due_on <= soon));
  assert.ok(r.json.deadlines.every(d => (d.due_on < t) === (d.state === 'overdue')));
  r = await mediator.get('/api/todo');
  assert.equal(r.json.scope, 'mine');
  const mine = await mediator.get('/api/cases?mine=1&limit=100');
  assert.ok(mine.json.total > 0, 'the mediator account leads generated cases');
  const myIds = new Set();
  for (let cur = '', i = 0; i < 50; i++) {
    const p = await mediator.get('/api/cases?mine=1&limit=100' + (cur ? '&cursor=' + cur : ''));
    p.json.items.forEach(x => myIds.add(x.id));
    if (!p.json.next_cursor) break;
    cur = p.json.next_cursor;
  }
  assert.ok(r.json.deadlines.every(d => myIds.has(d.id)), 'mine means my cases');
});

test('to-do totals and counts are of every task, however many the lists show', async () => {
  const db = srv.db;
  const t = today();
  const until = new Date(Date.now() + 8 * 3600e3 + 3 * 86400e3).toISOString().slice(0, 10);
  for (const [who, c] of [['bureau', bureau], ['admin', admin]]) {
    const full = (await c.get('/api/todo?scope=org')).json;
    // the truth, from the tables: open deadlines in the window of the cases handled in scope
    const path = one(db, `SELECT o.path FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.login = '${who}'`);
    const rows = sql(db, `SELECT dl.due_on AS d, COUNT(*) AS n FROM case_deadlines dl JOIN cases c ON c.id = dl.case_id
      WHERE dl.stopped_on IS NULL AND dl.due_on <= '${until}' AND dl.kind <> 'judicial_confirmation'
      AND c.status <> 'archived' AND substr(c.org_path, 1, ${path.length}) = '${path}' GROUP BY 1`);
    const want = { overdue: 0, due_today: 0, due_soon: 0 };
    let total = 0;
    for (const r of rows) { total += r.n; want[r.d < t ? 'overdue' : r.d === t ? 'due_today' : 'due_soon'] += r.n; }
    const awaiting = one(db, `SELECT COUNT(*) FROM cases WHERE status = 'registered' AND substr(org_path, 1, ${path.length}) = '${path}'`);
    assert.ok(total > 5, `${who} has ${total} open deadlines in the window`);
    assert.deepEqual(full.counts, want, who);
    assert.equal(full.deadlines_total, total, who);
    assert.equal(full.deadlines.length, Math.min(total, 500), who);
    assert.equal(full.awaiting_total, awaiting, who);
    assert.equal(full.awaiting_acceptance.length, Math.min(awaiting, 200), who);
    assert.equal(full.referrals.total, full.referrals.items.length, who);
    assert.equal(full.referrals.own_total, full.referrals.items.filter(i => i.own).length, who);
    // a short list: the most urgent of the same, with the same counts and totals
    for (const limit of [5, 0]) {
      const part = (await c.get(`/api/todo?scope=org&limit=${limit}`)).json;
      assert.deepEqual(part.counts, full.counts, `${who} limit=${limit}`);
      assert.equal(part.deadlines_total, total);
      assert.deepEqual(part.deadlines, full.deadlines.slice(0, limit));
      assert.equal(part.awaiting_total, awaiting);
      assert.deepEqual(part.awaiting_acceptance, full.awaiting_acceptance.slice(0, limit));
      assert.deepEqual(part.referrals.items, full.referrals.items.slice(0, limit));
      assert.equal(part.referrals.total, full.referrals.total);
      assert.equal(part.referrals.own_total, full.referrals.own_total);
      assert.deepEqual(part.referrals.counts, full.referrals.counts);
    }
  }
  // the partner's referral tasks likewise
  const full = (await partner.get('/api/todo')).json.referrals;
  assert.ok(full.total > 2, `the partner has ${full.total} referral tasks`);
  const part = (await partner.get('/api/todo?limit=2')).json.referrals;
  assert.deepEqual(part.items, full.items.slice(0, 2));
  assert.equal(part.total, full.total);
  assert.equal(part.own_total, full.own_total);
  assert.deepEqual(part.counts, full.counts);
  for (const bad of ['-1', 'x', '', '1.5']) {
    const r = await office.get(`/api/todo?limit=${bad}`);
    assert.equal(r.status, 400, bad);
    assert.equal(r.json.error.code, 'validation_failed');
    assert.equal(r.json.error.field, 'limit');
    assert.match(r.json.error.message, /limit 应为/);
  }
  assert.equal((await office.get('/api/todo?limit=100000')).status, 200);
});

test('new registrations and events continue on generated data', async () => {
  const db = srv.db;
  const org = mediator.user.org_id;
  const year = Number(today().slice(0, 4));
  const last = one(db, `SELECT COALESCE(MAX(last_no), 0) FROM case_numbers WHERE org_id = ${org} AND year = ${year}`);
  let r = await mediator.post('/api/cases', {
    title: '测试与生成数据并存', source: 'walk_in', dispute_type: 'neighbour', facts: '生成数据之后的新登记。',
    parties: [{ role: 'applicant', name: '张三' }, { role: 'respondent', name: '李四' }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.match(r.json.case_no, new RegExp(`第${last + 1}号$`), 'numbering continues after the generated cases');
  assert.equal(r.json.id, N + 1);
  const open = one(db, `SELECT id FROM cases WHERE status = 'accepted' AND org_id = ${org} ORDER BY id DESC LIMIT 1`)
    ?? one(db, `SELECT id FROM cases WHERE status = 'accepted' AND org_path LIKE (SELECT path FROM orgs WHERE id = ${office.user.org_id}) || '%' ORDER BY id DESC LIMIT 1`);
  const who = one(db, `SELECT org_id FROM cases WHERE id = ${open}`) === org ? mediator : office;
  r = await who.post(`/api/cases/${open}/events/record_session`, { held_on: today(), content: '继续调解，双方同意再协商。' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.status, 'mediating');
});

test('init --demo: thousands of cases in every state, the mediator leads open ones, the to-do list has work', async () => {
  const demo = await startServer();
  try {
    const db = demo.db;
    const st = Object.fromEntries(sql(db, 'SELECT status, COUNT(*) AS n FROM cases GROUP BY status').map(r => [r.status, r.n]));
    const total = Object.values(st).reduce((a, b) => a + b, 0);
    assert.ok(total >= 2000, `${total} demo cases`);
    for (const s of ['registered', 'accepted', 'mediating', 'agreed', 'closed', 'archived', 'refused', 'withdrawn', 'terminated'])
      assert.ok(st[s] > 0, `demo has ${s} cases: ${JSON.stringify(st)}`);
    assert.ok(one(db, 'SELECT MAX(registered_on) FROM cases') >= new Date(Date.now() + 8 * 3600e3 - 3 * 86400e3).toISOString().slice(0, 10));
    const m = new Client(demo.url);
    await m.login('mediator');
    const linked = sql(db, "SELECT p.id, p.name FROM persons p JOIN users u ON u.id = p.user_id WHERE u.login = 'mediator'");
    assert.equal(linked.length, 1);
    assert.equal(linked[0].name, m.user.name, 'the account is that mediator');
    const open = one(db, `SELECT COUNT(*) FROM cases WHERE lead_mediator_id = ${linked[0].id} AND status IN ('registered','accepted','mediating')`);
    assert.ok(open >= 5, `${open} open cases led by the demo mediator`);
    const todo = (await m.get('/api/todo')).json;
    assert.ok(todo.deadlines.length > 0, 'the mediator has deadlines');
    const o = new Client(demo.url);
    await o.login('office');
    const ot = (await o.get('/api/todo?scope=org')).json;
    assert.ok(ot.counts.overdue > 0 && ot.counts.due_soon + ot.counts.due_today > 0, JSON.stringify(ot.counts));
    const mine = (await m.get('/api/cases?limit=1')).json.total;
    assert.ok(mine < 150, `the mediator's committee has a browsable number of cases (${mine})`);
    const r = await m.get('/api/cases?limit=5&q=' + encodeURIComponent('纠纷'));
    assert.ok(r.json.total > 0);
  } finally {
    await demo.stop();
  }
});
