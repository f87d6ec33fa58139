// The dashboard reads order-service only: /dashboard/circuits (the circuits of every instance of every service,
// which order-service reads through discovery), /orders, and the server-sent stream of every event on
// domain_events (without personal data: order-service sends ids, statuses and amounts, never names or emails).
// No framework, no build step, nothing from the internet.
//
// Access: the admin or the read-only viewer token is exchanged once for an HttpOnly session cookie
// (POST /dashboard/session), which the browser then sends with every request here, EventSource included, since an
// EventSource cannot send a header. The token comes from the form, or from the address's fragment
// (/dashboard/#token=...): a fragment never leaves the browser, and is removed from the address bar and the history at
// once. The page never stores the token.
'use strict';

const $ = (id) => document.getElementById(id);
const MAX_EVENTS = 200;
const RECONNECT_MS = 5000;
let started = false;
let source = null;

function ago(iso) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 60 ? `${s}s ago` : `${Math.floor(s / 60)}m ${s % 60}s ago`;
}

function text(tag, content, className) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

function circuitCard(entry, c) {
  const counts = c.counts || {};
  const attempts = (counts.successes || 0) + (counts.failures || 0);
  const ratio = attempts ? Math.round(100 * (counts.failures || 0) / attempts) : 0;
  const card = text('div', '', `card state-${c.state}`);
  card.dataset.service = entry.service;
  card.dataset.instance = entry.instance;
  card.dataset.downstream = c.name;
  card.dataset.state = c.state;
  card.append(
    text('h3', `${entry.service} → ${c.name}`),
    text('div', c.state, 'state'),
    text('div', `since ${ago(c.since)}`, 'muted'),
    text('div', `calls ${counts.calls || 0} · failures ${counts.failures || 0} (${ratio}%) · ` +
      `rejected ${counts.rejections || 0} · retries ${counts.retries || 0} · fallbacks ${counts.fallbacks || 0}`,
      'muted'),
    text('div', entry.instance, 'muted'));
  return card;
}

// A card for an instance that has no circuits to show: it calls no other service, or it could not be read.
function instanceCard(entry) {
  const card = text('div', '', entry.reachable ? 'card instance' : 'card unreachable');
  card.dataset.service = entry.service;
  card.dataset.instance = entry.instance || '';
  card.dataset.reachable = entry.reachable;
  card.append(
    text('h3', entry.service),
    text('div', entry.reachable ? 'reachable' : 'unreachable', 'state'),
    text('div', entry.reachable ? 'calls no other service, so has no circuits'
      : `${entry.problem}; its circuits are unknown`, 'muted'),
    text('div', entry.instance || 'no instance', 'muted'));
  return card;
}

async function refreshCircuits() {
  const box = $('circuits');
  try {
    const response = await fetch('/dashboard/circuits', { cache: 'no-store' });
    if (response.status === 401) { signIn('The session has ended: give the token again.'); return; }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const entries = await response.json();
    box.replaceChildren(...entries.flatMap((entry) => entry.reachable && entry.circuits.length
      ? entry.circuits.map((c) => circuitCard(entry, c))
      : [instanceCard(entry)]));
  } catch (e) {
    box.replaceChildren(text('div', `order-service unreachable (${e.message})`, 'card unreachable'));
  }
}

async function refreshOrders() {
  try {
    const response = await fetch('/orders', { cache: 'no-store' });
    if (!response.ok) return;
    const orders = await response.json();
    $('orders').replaceChildren(...orders.slice(0, 20).map((o) => {
      const row = document.createElement('tr');
      row.dataset.order = o.id;
      row.append(text('td', o.id.slice(0, 8)), text('td', o.userId), text('td', `${o.total} ${o.currency}`),
        text('td', o.status, o.status), text('td', o.reason || ''), text('td', ago(o.updatedAt)));
      return row;
    }));
  } catch (e) {
    // the circuits card already says order-service is unreachable
  }
}

function applyFilter(item) {
  const filter = $('event-filter').value.trim();
  item.classList.toggle('hidden', filter !== '' && !item.dataset.routingKey.includes(filter));
}

// What an event's data says, briefly: the fields order-service passes on are ids, statuses, amounts and reasons.
function summary(data) {
  if (!data) return '';
  const amount = data.total ?? data.amount;
  return [data.status, amount !== undefined ? `${amount} ${data.currency || ''}`.trim() : '', data.reason,
    data.downstream ? `${data.downstream} ${data.from} → ${data.to}` : ''].filter(Boolean).join(' · ');
}

function connectEvents() {
  if (source) source.close();
  source = new EventSource('/dashboard/stream');
  source.onopen = () => { $('stream-status').textContent = 'live'; $('stream-status').className = 'badge live'; };
  source.onerror = async () => {
    $('stream-status').textContent = 'event stream lost, reconnecting…';
    $('stream-status').className = 'badge down';
    // A refusal (401 no session, 503 too many watchers) closes an EventSource for good: find out why, then retry.
    if (source.readyState !== EventSource.CLOSED) return;
    if (!(await checkSession())) return;
    $('stream-status').textContent = 'event stream refused (too many watchers?), retrying…';
    setTimeout(connectEvents, RECONNECT_MS);
  };
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    const subject = event.malformed ? '(not an event)' : event.subject || '';
    const item = text('li', `${new Date().toLocaleTimeString()}  ${event.routingKey}  ${subject}  ${summary(event.data)}`);
    item.dataset.routingKey = event.routingKey;
    item.dataset.subject = subject;
    applyFilter(item);
    const list = $('events');
    list.prepend(item);
    while (list.children.length > MAX_EVENTS) list.lastChild.remove();
    // a change shows at once, not at the next poll
    if (event.routingKey.startsWith('resilience.circuit.')) refreshCircuits();
    if (event.routingKey.startsWith('order.')) refreshOrders();
  };
}

async function placeOrder(unitPrice) {
  $('place-result').textContent = 'placing…';
  try {
    const response = await fetch('/orders', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: 1, currency: 'EUR', items: [{ sku: 'DASH-1', quantity: 1, unitPrice }] }),
    });
    const body = await response.json();
    $('place-result').textContent = response.ok ? `${body.id.slice(0, 8)} ${body.status} ${body.reason || ''}`
      : `${response.status} ${body.title || ''}: ${body.detail || ''}`;
  } catch (e) {
    $('place-result').textContent = `order-service unreachable (${e.message})`;
  }
  refreshOrders();
  refreshCircuits();
}

async function applyFaults(event) {
  event.preventDefault();
  try {
    const response = await fetch('/dashboard/faults', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' }, // the session cookie says who asks
      body: JSON.stringify({
        latencyMillis: Number($('fault-latency').value), failureRate: Number($('fault-rate').value),
        down: $('fault-down').checked,
      }),
    });
    const body = await response.json().catch(() => ({}));
    $('fault-result').textContent = response.ok ? `applied to ${body.map((i) => i.instance).join(', ')}`
      : `${response.status} ${body.detail || body.title || ''}`;
  } catch (e) {
    $('fault-result').textContent = `failed: ${e.message}`;
  }
}

// The session: true when there is one (and the page is started), false when the token is needed or the dashboard is
// closed. A viewer's session hides the controls (order-service refuses them to it anyway, with 403).
async function checkSession() {
  let response;
  try {
    response = await fetch('/dashboard/session', { cache: 'no-store' });
  } catch (e) {
    $('stream-status').textContent = `order-service unreachable (${e.message})`;
    return true; // not a matter of the session: keep retrying
  }
  if (response.status === 404) {
    signIn('The dashboard is disabled: order-service has no admin or viewer token configured '
      + '(RESILIENCE_ADMIN_TOKEN, ORDER_DASHBOARD_VIEWER_TOKEN).', false);
    return false;
  }
  if (!response.ok) {
    signIn(started ? 'The session has ended: give the token again.' : undefined);
    return false;
  }
  const session = await response.json();
  $('session').hidden = true;
  $('session-role').textContent = `${session.role} session`;
  $('session-end').hidden = false;
  document.body.classList.toggle('viewer', session.role !== 'admin');
  start();
  return true;
}

function signIn(why, withForm = true) {
  if (source) { source.close(); source = null; }
  $('stream-status').textContent = 'not signed in';
  $('stream-status').className = 'badge down';
  $('session-role').textContent = '';
  $('session-end').hidden = true;
  if (why) $('session-why').textContent = why;
  $('session-form').hidden = !withForm;
  $('session').hidden = false;
}

async function openSession(token) {
  const response = await fetch('/dashboard/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }),
  });
  if (response.status !== 204) {
    const body = await response.json().catch(() => ({}));
    $('session-result').textContent = `${response.status} ${body.detail || body.title || ''}`;
  }
  return response.status === 204;
}

let timers = [];
function start() {
  if (source === null) connectEvents();
  if (started) return;
  started = true;
  refreshCircuits();
  refreshOrders();
  timers = [setInterval(refreshCircuits, 1000), setInterval(refreshOrders, 1000)];
}

$('session-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = $('session-token').value;
  $('session-token').value = '';
  if (await openSession(token)) await checkSession();
});
$('session-end').addEventListener('click', async () => {
  await fetch('/dashboard/session', { method: 'DELETE' });
  timers.forEach(clearInterval);
  started = false;
  signIn('Signed out.');
});
$('place-valid').addEventListener('click', () => placeOrder(12.5));
$('place-declined').addEventListener('click', () => placeOrder(1500));
$('faults').addEventListener('submit', applyFaults);
$('event-filter').addEventListener('input', () => [...$('events').children].forEach(applyFilter));

(async () => {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has('token')) {
    // Out of the address bar and the history before anything else; a fragment is never sent to the server.
    history.replaceState(null, '', location.pathname + location.search);
    await openSession(fragment.get('token'));
  }
  await checkSession();
})();
