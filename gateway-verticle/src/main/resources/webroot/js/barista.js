import {
  api, bindOrderLookup, bindSignIn, bindSignOut, el, liveUpdates, Session, setLive, shortId, showMessage, timeOf,
} from './cafe.js';

const session = new Session('barista');
const live = { current: null };
const STAFF = ['barista', 'admin'];
const LOW_STOCK = 5;

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
  loadTickets();
  loadStock();
  live.current = liveUpdates(user.token, () => reloadSoon(), (s) => setLive($('live-indicator'), s));
  // Polling backs up the live socket; new tickets also arrive this way.
  setInterval(loadTickets, 5000);
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
  reloadTimer = setTimeout(loadTickets, 250);
}

async function loadTickets() {
  try {
    const { data } = await call('GET', '/barista/tickets');
    const tickets = Array.isArray(data) ? data : [];
    render('QUEUED', 'tickets-queued', 'count-queued', tickets);
    render('BREWING', 'tickets-brewing', 'count-brewing', tickets);
    render('READY', 'tickets-ready', 'count-ready', tickets);
    showMessage($('board-message'), '');
  } catch (e) {
    if (e.status !== 401) showMessage($('board-message'), 'The board cannot be refreshed: ' + e.message, 'error');
  }
}

function render(status, listId, countId, tickets) {
  const mine = tickets.filter((t) => t.status === status)
    .sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
  $(countId).textContent = String(mine.length);
  $(listId).replaceChildren(...(mine.length ? mine.map(ticket) : [el('p', { class: 'empty' }, 'Nothing here.')]));
}

function ticket(t) {
  let action = null;
  if (t.status === 'QUEUED') {
    action = el('button', { type: 'button', class: 'primary', dataset: { testid: 'start-' + t.orderId }, onclick: (e) => move(e, t, 'start') }, 'Start brewing');
  } else if (t.status === 'BREWING') {
    action = el('button', { type: 'button', class: 'primary', dataset: { testid: 'complete-' + t.orderId }, onclick: (e) => move(e, t, 'complete') }, 'Mark ready');
  }
  return el('article', { class: 'ticket', dataset: { testid: 'ticket-' + t.orderId, status: t.status } },
    el('div', { class: 'head' }, el('span', {}, '#' + shortId(t.orderId)), el('span', { class: 'muted' }, timeOf(t.startedAt || t.createdAt))),
    el('ul', {}, (t.items || []).map((i) => el('li', {}, `${i.qty} × ${i.name || menuNames[i.menuItemId] || i.menuItemId}`))),
    t.address ? el('div', { class: 'muted' }, 'To ' + t.address) : null,
    t.status === 'READY' ? el('div', { class: 'muted' }, 'Waiting for a rider') : null,
    action);
}

async function move(event, t, what) {
  event.target.disabled = true;
  try {
    await call('POST', `/barista/tickets/${encodeURIComponent(t.orderId)}/${what}`);
  } catch (e) {
    if (e.status !== 401) showMessage($('board-message'), e.message, 'error');
  }
  loadTickets();
}

async function loadStock() {
  try {
    const { data } = await call('GET', '/barista/stock');
    const levels = (Array.isArray(data) ? data : []).sort((a, b) => String(a.menuItemId).localeCompare(String(b.menuItemId)));
    $('stock-list').replaceChildren(...levels.map(stockRow));
  } catch (e) {
    if (e.status !== 401) $('stock-list').replaceChildren(el('tr', {}, el('td', { class: 'empty' }, 'Stock cannot be loaded: ' + e.message)));
  }
}

function stockRow(level) {
  const id = level.menuItemId;
  const input = el('input', {
    type: 'number', min: '0', step: '1', inputmode: 'numeric', value: String(level.quantity),
    'aria-label': 'Stock of ' + (menuNames[id] || id), dataset: { testid: 'stock-input-' + id },
  });
  const note = el('span', { class: 'muted', dataset: { testid: 'stock-note-' + id } });
  const save = el('button', {
    type: 'button', class: 'ghost', dataset: { testid: 'stock-save-' + id },
    onclick: async () => {
      save.disabled = true;
      try {
        const { data } = await call('PUT', `/barista/stock/${encodeURIComponent(id)}`, { body: { quantity: Number(input.value) } });
        input.value = String(data.quantity);
        note.textContent = 'Saved';
        qty.textContent = String(data.quantity);
        qty.className = data.quantity <= LOW_STOCK ? 'low' : '';
      } catch (e) {
        note.textContent = e.message;
      } finally {
        save.disabled = false;
      }
    },
  }, 'Save');
  const qty = el('td', { class: level.quantity <= LOW_STOCK ? 'low' : '', dataset: { testid: 'stock-level-' + id } }, String(level.quantity));
  return el('tr', {},
    el('td', {}, menuNames[id] || id),
    qty,
    el('td', {}, input),
    el('td', {}, save, ' ', note));
}

start();
