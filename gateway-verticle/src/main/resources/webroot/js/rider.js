import {
  api, bindOrderLookup, bindSignIn, bindSignOut, el, liveUpdates, Session, setLive, shortId, showMessage, timeOf,
} from './cafe.js';

const session = new Session('rider');
const live = { current: null };
const STAFF = ['rider', 'admin'];
const SHOWN_DELIVERED = 10;

const $ = (id) => document.getElementById(id);
let user = null;
let menuNames = {};
let reloadTimer = null;

function start() {
  bindSignIn(session, { allowedRoles: STAFF, onSignedIn: enter });
  bindSignOut(session, live);
  bindOrderLookup(call, (id) => menuNames[id] || id);
  const saved = session.get();
  if (saved && saved.roles.some((r) => STAFF.includes(r))) enter(saved);
  else showSignIn();
}

function showSignIn(note) {
  $('auth').classList.remove('hidden');
  $('board').classList.add('hidden');
  $('logout-button').classList.add('hidden');
  $('live-indicator').classList.add('hidden');
  if (note) showMessage($('auth-message'), note, 'warn');
}

async function enter(signedIn) {
  user = signedIn;
  $('auth').classList.add('hidden');
  $('board').classList.remove('hidden');
  $('logout-button').classList.remove('hidden');
  $('live-indicator').classList.remove('hidden');
  $('who').textContent = user.username;
  try {
    const { data } = await api('GET', '/menu');
    menuNames = Object.fromEntries((data || []).map((m) => [m.id, m.name]));
  } catch (e) { /* ids stand in for names */ }
  loadDeliveries();
  live.current = liveUpdates(user.token, () => reloadSoon(), (s) => setLive($('live-indicator'), s));
  setInterval(loadDeliveries, 5000);
}

async function call(method, path, options = {}) {
  try {
    return await api(method, path, { ...options, token: user.token });
  } catch (e) {
    if (e.status === 401) {
      if (live.current) live.current.close();
      session.clear();
      showSignIn('Your session ended. Please sign in again.');
    }
    throw e;
  }
}

function reloadSoon() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(loadDeliveries, 250);
}

async function loadDeliveries() {
  try {
    const [waiting, delivering, delivered] = await Promise.all(['WAITING', 'DELIVERING', 'DELIVERED']
      .map((status) => call('GET', '/deliveries?status=' + status).then(({ data }) => (Array.isArray(data) ? data : []))));
    render(waiting, 'deliveries-waiting', 'count-waiting', false);
    render(delivering, 'deliveries-delivering', 'count-delivering', false);
    render(delivered, 'deliveries-delivered', 'count-delivered', true);
    showMessage($('board-message'), '');
  } catch (e) {
    if (e.status !== 401) showMessage($('board-message'), 'The board cannot be refreshed: ' + e.message, 'error');
  }
}

function render(deliveries, listId, countId, newestFirst) {
  const sorted = deliveries.slice().sort((a, b) => String(a.updatedAt || a.createdAt).localeCompare(String(b.updatedAt || b.createdAt)));
  if (newestFirst) sorted.reverse();
  const shown = newestFirst ? sorted.slice(0, SHOWN_DELIVERED) : sorted;
  $(countId).textContent = String(deliveries.length);
  $(listId).replaceChildren(...(shown.length ? shown.map(card) : [el('p', { class: 'empty' }, 'Nothing here.')]));
}

function card(d) {
  let action = null;
  if (d.status === 'WAITING') {
    action = el('button', { type: 'button', class: 'primary', dataset: { testid: 'pickup-' + d.orderId }, onclick: (e) => move(e, d, 'pickup') }, 'Pick up');
  } else if (d.status === 'DELIVERING') {
    action = el('button', { type: 'button', class: 'primary', dataset: { testid: 'deliver-' + d.orderId }, onclick: (e) => move(e, d, 'complete') }, 'Delivered');
  }
  const items = (d.items || []).map((i) => `${i.qty} × ${i.name || menuNames[i.menuItemId] || i.menuItemId}`).join(', ');
  return el('article', { class: 'ticket', dataset: { testid: 'delivery-' + d.orderId, status: d.status } },
    el('div', { class: 'head' }, el('span', {}, '#' + shortId(d.orderId)), el('span', { class: 'muted' }, timeOf(d.updatedAt || d.createdAt))),
    el('div', {}, d.address ? 'To ' + d.address : 'No address given'),
    items ? el('div', { class: 'muted' }, items) : null,
    d.rider ? el('div', { class: 'muted' }, 'Rider: ' + d.rider) : null,
    action);
}

async function move(event, d, what) {
  event.target.disabled = true;
  try {
    await call('POST', `/deliveries/${encodeURIComponent(d.orderId)}/${what}`);
  } catch (e) {
    if (e.status !== 401) showMessage($('board-message'), e.message, 'error');
  }
  loadDeliveries();
}

start();
