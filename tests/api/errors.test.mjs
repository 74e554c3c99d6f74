// Bad input of every kind gets the right 4xx in the one error shape, and the
// server keeps serving afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, Client } from '../lib/server.mjs';

let srv, admin;
before(async () => {
  srv = await startServer();
  admin = new Client(srv.url);
  assert.equal((await admin.login('admin')).status, 200);
});
after(async () => {
  const r = await srv.stop();
  assert.equal(r.code, 0, 'server exits cleanly (no sanitizer report):\n' + srv.log().slice(-3000));
});

function shape(r, code, status) {
  assert.equal(r.status, status, JSON.stringify(r.json));
  assert.equal(r.json.error.code, code);
  assert.ok(r.json.error.message && /[\u4e00-\u9fff]/.test(r.json.error.message), 'Chinese message');
}

// Raw HTTP over a socket, for requests fetch() refuses to send.
function raw(data) {
  return new Promise((resolve, reject) => {
    const s = net.connect(srv.port, '127.0.0.1');
    let out = '';
    s.on('data', d => { out += d; });
    s.on('end', () => resolve(out));
    s.on('error', reject);
    s.setTimeout(5000, () => { s.destroy(); resolve(out); });
    s.write(data);
  });
}

test('malformed JSON, duplicate keys, wrong types, unknown fields, long strings', async () => {
  shape(await admin.post('/api/orgs', '{"name": '), 'bad_json', 400);
  shape(await admin.post('/api/orgs', '[1,2]'), 'bad_json', 400);
  shape(await admin.post('/api/orgs', ''), 'bad_json', 400);
  let r = await admin.post('/api/orgs', '{"name":"a","name":"b"}');
  shape(r, 'bad_json', 400);
  assert.match(r.json.error.message, /重复/);
  r = await admin.post('/api/orgs', { parent_id: 'one', name: 'x', kind: 'committee', level: 'village' });
  shape(r, 'validation_failed', 400);
  assert.equal(r.json.error.field, 'parent_id');
  r = await admin.post('/api/orgs', { parent_id: 1, name: 'x', kind: 'committee', level: 'village', colour: 'red' });
  shape(r, 'unknown_field', 400);
  assert.equal(r.json.error.field, 'colour');
  r = await admin.post('/api/orgs', { parent_id: 1, name: '调'.repeat(101), kind: 'committee', level: 'village' });
  shape(r, 'validation_failed', 400);
  assert.equal(r.json.error.field, 'name');
  r = await admin.post('/api/orgs', { parent_id: 1, name: 'x', kind: 'spaceship', level: 'village' });
  assert.equal(r.json.error.field, 'kind');
  r = await admin.post('/api/orgs', { parent_id: 1, name: 'x', kind: 'committee', level: 'village', founded_on: '2025-02-30' });
  assert.equal(r.json.error.field, 'founded_on');
  r = await admin.post('/api/orgs', '{"name":"a\\u0000b"}');
  assert.equal(r.status, 400);
});

test('invalid UTF-8 in a body is 400', async () => {
  const body = Buffer.concat([Buffer.from('{"login":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","password":"x"}')]);
  const r = await fetch(srv.url + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.code, 'bad_json');
});

test('huge bodies are 413, wrong content type 415', async () => {
  // a declared length over the limit is refused before the body is read (a client that
  // keeps sending gets the 413 and a closed connection, so read it from a raw socket)
  const head = await raw(`POST /api/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrf}\r\nConnection: close\r\n\r\n{"name":"`);
  assert.match(head, /^HTTP\/1\.1 413/);
  assert.match(head, /payload_too_large/);
  let r = await admin.post('/api/orgs', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
  shape(r, 'unsupported_media_type', 415);
  // chunked upload without Content-Length, over the limit
  const chunk = 'x'.repeat(64 * 1024);
  let req = 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
  for (let i = 0; i < 20; i++) req += chunk.length.toString(16) + '\r\n' + chunk + '\r\n';
  req += '0\r\n\r\n';
  const out = await raw(req);
  assert.match(out, /^HTTP\/1\.1 413/);
});

test('unknown paths 404, wrong methods 405, bad ids 404', async () => {
  shape(await admin.get('/api/does/not/exist'), 'not_found', 404);
  shape(await admin.req('PUT', '/api/health'), 'method_not_allowed', 405);
  shape(await admin.del('/api/orgs'), 'method_not_allowed', 405);
  shape(await admin.get('/api/orgs/abc'), 'not_found', 404);
  shape(await admin.get('/api/orgs/-1'), 'not_found', 404);
  shape(await admin.get('/api/orgs/99999999999999999999'), 'not_found', 404);
  shape(await admin.get('/api/orgs/999999'), 'not_found', 404);
});

test('path traversal never leaves the web root', async () => {
  for (const p of ['/../../etc/passwd', '/assets/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/a/..', '/.git/config', '//etc/passwd']) {
    const out = await raw(`GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok(!/root:x:0:0/.test(out), p);
    assert.match(out, /^HTTP\/1\.1 (400|404)/, p + ' → ' + out.slice(0, 40));
  }
  const out = await raw('GET /api/health/%ff%fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(out, /^HTTP\/1\.1 (400|404)/);
});

test('garbage on the wire does not hurt the server', async () => {
  await raw('\x00\x01\x02 garbage\r\n\r\n');
  await raw('GET / HTTP/1.1\r\n' + 'X-Long: ' + 'a'.repeat(200000) + '\r\n\r\n');
  await raw('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{"lo');
  const r = await fetch(srv.url + '/api/health');
  assert.equal(r.status, 200);
});

test('state-changing requests need the CSRF token and a session', async () => {
  const anon = new Client(srv.url);
  shape(await anon.get('/api/orgs'), 'unauthenticated', 401);
  const noCsrf = new Client(srv.url);
  await noCsrf.login('admin');
  noCsrf.csrf = '';
  shape(await noCsrf.post('/api/orgs', { parent_id: 1, name: 'x', kind: 'committee', level: 'village' }), 'csrf_failed', 403);
  noCsrf.csrf = 'wrong';
  shape(await noCsrf.post('/api/orgs', { parent_id: 1, name: 'x', kind: 'committee', level: 'village' }), 'csrf_failed', 403);
});
