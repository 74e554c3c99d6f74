// SIGTERM during a burst of writes: every write the server acknowledged is in the
// database after a restart, and the server exits cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, Client } from '../lib/server.mjs';

test('SIGTERM during a write burst loses no acknowledged write', async () => {
  const srv = await startServer();
  const admin = new Client(srv.url);
  await admin.login('admin');
  const parent = (await admin.get('/api/orgs?kind=judicial_office')).json.items[0];
  const acked = [];
  let stop = false;
  const writer = async (w) => {
    for (let i = 0; !stop && i < 400; i++) {
      try {
        const r = await admin.post('/api/orgs', { parent_id: parent.id, name: `压力测试调委会-${w}-${i}`, kind: 'committee', level: 'village' });
        if (r.status === 201) acked.push(r.json.id);
      } catch { return; } // connection refused or reset once the server is gone
    }
  };
  const writers = Array.from({ length: 8 }, (_, w) => writer(w));
  await new Promise(r => setTimeout(r, 400));
  const exit = srv.stop({ keep: true });
  const { code } = await exit;
  stop = true;
  await Promise.all(writers);
  assert.equal(code, 0, 'clean exit:\n' + srv.log().slice(-2000));
  assert.match(srv.log(), /finishing in-flight requests/);
  assert.ok(acked.length > 5, `some writes were acknowledged (${acked.length})`);
  const again = await startServer({ dir: srv.dir });
  const c = new Client(again.url);
  await c.login('admin');
  const ids = new Set((await c.get('/api/orgs?q=' + encodeURIComponent('压力测试'))).json.items.map(o => o.id));
  const lost = acked.filter(id => !ids.has(id));
  assert.deepEqual(lost, [], 'acknowledged writes lost');
  await again.stop();
  rmSync(srv.dir, { recursive: true, force: true });
});
