// graphql-http's GraphQL-over-HTTP server audits against a running server.
//
//   node audit.mjs http://127.0.0.1:PORT/graphql
//
// Runs every audit one after another and records the requests each one sends, so that a
// failure can be shown with its request and the server's answer. Exits 1 when any MUST
// audit is not ok (or an audit throws); SHOULD and MAY audits that fail are listed as
// warnings and do not fail the run.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

let requests = [];
async function recordingFetch(input, init = {}) {
  const request = {
    method: init.method ?? 'GET',
    url: String(input),
    headers: Object.fromEntries(new Headers(init.headers ?? {}).entries()),
    body: typeof init.body === 'string' ? init.body : init.body == null ? undefined : '(non-text body)',
  };
  requests.push(request);
  const response = await fetch(input, init);
  // Keep a copy of the answer for the report; the audit reads the original.
  const copy = response.clone();
  request.response = {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: copy.text().catch(() => '(unreadable)'),
  };
  return response;
}

const shorten = (text, max = 600) => (text && text.length > max ? `${text.slice(0, max)}…` : text);

async function describe(request) {
  const lines = [`    request:  ${request.method} ${request.url}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`              ${name}: ${value}`);
  if (request.body !== undefined) lines.push(`              body: ${shorten(request.body)}`);
  if (request.response) {
    const body = await request.response.body;
    lines.push(`    response: ${request.response.status} content-type: ${request.response.headers['content-type'] ?? '(none)'}`);
    lines.push(`              body: ${shorten(body)}`);
  }
  return lines.join('\n');
}

const results = { ok: [], warn: [], must: [] };
for (const audit of serverAudits({ url, fetchFn: recordingFetch })) {
  requests = [];
  let result;
  try {
    result = await audit.fn();
  } catch (error) {
    result = { id: audit.id, name: audit.name, status: 'error', reason: `the audit threw: ${error?.stack ?? error}` };
  }
  const must = audit.name.startsWith('MUST');
  if (result.status === 'ok') {
    results.ok.push(audit);
    continue;
  }
  const entry = { audit, result, detail: await Promise.all(requests.map(describe)) };
  if (must) results.must.push(entry);
  else results.warn.push(entry);
}

const total = results.ok.length + results.warn.length + results.must.length;
const mustTotal = [...results.ok, ...results.must.map((e) => e.audit), ...results.warn.map((e) => e.audit)].filter(
  (a) => a.name.startsWith('MUST'),
).length;
console.log(`graphql-http audits: ${total} run, ${results.ok.length} ok`);
console.log(`  MUST: ${mustTotal - results.must.length} of ${mustTotal} ok`);

if (results.warn.length > 0) {
  console.log(`  warnings (SHOULD/MAY, not failing the stage): ${results.warn.length}`);
  for (const { audit, result } of results.warn) {
    console.log(`    [${result.status}] ${audit.id} ${audit.name}`);
    console.log(`        ${result.reason}`);
  }
}
if (results.must.length > 0) {
  console.log(`  MUST audits failed: ${results.must.length}`);
  for (const { audit, result, detail } of results.must) {
    console.log(`    [${result.status}] ${audit.id} ${audit.name}`);
    console.log(`        ${result.reason}`);
    for (const d of detail) console.log(d);
  }
  process.exit(1);
}
