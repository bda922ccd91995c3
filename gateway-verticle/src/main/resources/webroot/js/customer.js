import {
  api, bindSignIn, bindSignOut, el, liveUpdates, money, newKey, Session, setLive, shortId, showMessage,
  statusLabel, timeOf,
} from './cafe.js';

const session = new Session('customer');
const live = { current: null };

const STEPS = ['PAID', 'QUEUED', 'BREWING', 'READY', 'DELIVERING', 'DELIVERED'];
const RANK = {
  PAYMENT_PENDING: 0, PAID: 1, QUEUED: 2, BREWING: 3, READY: 4, DELIVERING: 5, DELIVERED: 6, REJECTED: 6, CANCELLED: 7,
};
const CANCELLABLE = ['PAYMENT_PENDING', 'PAID', 'QUEUED', 'BREWING', 'READY'];

const state = {
  user: null,
  menu: [],
  cart: {},
  orders: new Map(),
  orderKey: newKey(),
};

const $ = (id) => document.getElementById(id);

function start() {
  bindSignIn(session, { onSignedIn: enter });
  bindSignOut(session, live);
  $('order-form').addEventListener('submit', placeOrder);
  $('address').value = localStorage.getItem('cafe.address') || '';
  const saved = session.get();
  if (saved) enter(saved);
  else showSignIn();
}

function showSignIn(note) {
  $('auth').classList.remove('hidden');
  $('shop').classList.add('hidden');
  $('logout-button').classList.add('hidden');
  $('live-indicator').classList.add('hidden');
  $('who').textContent = '';
  if (note) showMessage($('auth-message'), note, 'warn');
}

function enter(user) {
  state.user = user;
  $('auth').classList.add('hidden');
  $('shop').classList.remove('hidden');
  $('logout-button').classList.remove('hidden');
  $('live-indicator').classList.remove('hidden');
  $('who').textContent = user.username;
  loadMenu();
  loadOrders();
  loadNotifications();
  live.current = liveUpdates(user.token, onChange, (s) => setLive($('live-indicator'), s));
  // A fallback in case the live socket is down for a while.
  setInterval(() => { if ($('live-indicator').dataset.state !== 'open') loadOrders(); }, 15000);
}

/** Calls the gateway as the signed-in customer; an expired session sends them back to sign in. */
async function call(method, path, options = {}) {
  try {
    return await api(method, path, { ...options, token: state.user.token });
  } catch (e) {
    if (e.status === 401) {
      if (live.current) live.current.close();
      session.clear();
      showSignIn('Your session ended. Please sign in again.');
    }
    throw e;
  }
}

// ---- menu and cart -------------------------------------------------------

async function loadMenu() {
  try {
    const { data } = await api('GET', '/menu');
    state.menu = Array.isArray(data) ? data : [];
    renderMenu();
    renderOrders();
  } catch (e) {
    $('menu-list').replaceChildren(el('li', { class: 'empty' }, 'The menu cannot be loaded: ' + e.message));
  }
}

function nameOf(menuItemId) {
  const item = state.menu.find((m) => m.id === menuItemId);
  return item ? item.name : menuItemId;
}

function renderMenu() {
  const list = state.menu.map((item) => {
    const qty = state.cart[item.id] || 0;
    const available = item.available !== false;
    return el('li', { class: 'menu-item', dataset: { testid: 'menu-item-' + item.id, available: String(available) } },
      el('div', { class: 'grow' },
        el('div', { class: 'name' }, item.name),
        el('div', { class: 'muted' }, available ? money(item.price) : 'Sold out')),
      el('div', { class: 'stepper' },
        el('button', {
          type: 'button', 'aria-label': 'One less ' + item.name, dataset: { testid: 'remove-' + item.id },
          disabled: qty === 0, onclick: () => changeQty(item.id, -1),
        }, '−'),
        el('output', { dataset: { testid: 'qty-' + item.id } }, String(qty)),
        el('button', {
          type: 'button', 'aria-label': 'One more ' + item.name, dataset: { testid: 'add-' + item.id },
          disabled: !available || qty >= 20, onclick: () => changeQty(item.id, 1),
        }, '+')));
  });
  $('menu-list').replaceChildren(...(list.length ? list : [el('li', { class: 'empty' }, 'The menu is empty.')]));
  renderOrderButton();
}

function changeQty(id, delta) {
  const qty = Math.max(0, Math.min(20, (state.cart[id] || 0) + delta));
  if (qty === 0) delete state.cart[id];
  else state.cart[id] = qty;
  // A different cart is a different order: it gets its own idempotency key.
  state.orderKey = newKey();
  renderMenu();
}

function cartTotal() {
  return Object.entries(state.cart).reduce((sum, [id, qty]) => {
    const item = state.menu.find((m) => m.id === id);
    return sum + (item ? item.price * qty : 0);
  }, 0);
}

function renderOrderButton() {
  const button = $('order-button');
  const count = Object.values(state.cart).reduce((a, b) => a + b, 0);
  button.disabled = count === 0;
  button.textContent = count === 0 ? 'Choose something from the menu' : `Place order · ${money(cartTotal())}`;
}

async function placeOrder(event) {
  event.preventDefault();
  const message = $('order-message');
  const button = $('order-button');
  const items = Object.entries(state.cart).map(([menuItemId, qty]) => ({ menuItemId, qty }));
  if (!items.length) return;
  const address = $('address').value.trim();
  localStorage.setItem('cafe.address', address);
  button.disabled = true;
  showMessage(message, 'Placing your order…', 'info');
  try {
    const { status, data } = await call('POST', '/orders', {
      body: { items, card: $('card').value.replace(/[\s-]/g, ''), address },
      headers: { 'Idempotency-Key': state.orderKey },
    });
    mergeOrder(data, false);
    state.cart = {};
    state.orderKey = newKey();
    renderMenu();
    if (status === 202) {
      showMessage(message, `Order #${shortId(data.id)} is saved. Payment is taking a moment; we will keep trying and update it here.`, 'warn');
    } else {
      showMessage(message, `Paid ${money(data.total)}. Order #${shortId(data.id)} is on its way to the barista.`, 'ok');
    }
  } catch (e) {
    if (e.status === 402) {
      showMessage(message, 'The card was declined, so nothing was charged. Try another card.', 'error');
      state.orderKey = newKey();
      loadOrders();
    } else if (e.status === 503 && e.problem && e.problem.type === 'urn:cafe:problem:busy') {
      // Refused before anything was stored: the same key may be sent again.
      const wait = e.retryAfter || '1';
      showMessage(message, `The cafe is busy right now, so nothing was ordered or charged. Try again in ${wait} s.`, 'warn');
    } else if (e.status !== 401) {
      // Without an answer the same key is kept: sending again cannot order or charge twice.
      const retry = e.retryAfter ? ` Try again in ${e.retryAfter} s.` : '';
      showMessage(message, e.message + retry, 'error');
      if (e.status >= 400 && e.status < 500) state.orderKey = newKey();
    }
  } finally {
    renderOrderButton();
    message.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }
}

// ---- orders and live status ----------------------------------------------

function rankOf(status) {
  return RANK[status] === undefined ? -1 : RANK[status];
}

/** Live changes always apply; snapshots only move an order forward (they may be a moment behind). */
function mergeOrder(order, authoritative) {
  const id = order.id || order.orderId;
  if (!id) return;
  const known = state.orders.get(id);
  if (!known) {
    state.orders.set(id, { ...order, id });
  } else {
    const keepStatus = !authoritative && known.status !== 'CANCEL_REQUESTED' && rankOf(known.status) > rankOf(order.status);
    const merged = { ...known, ...order, id };
    if (keepStatus) merged.status = known.status;
    state.orders.set(id, merged);
  }
  renderOrders();
}

async function loadOrders() {
  try {
    const { data } = await call('GET', '/mypage/orders');
    (Array.isArray(data) ? data : []).forEach((o) => mergeOrder(o, false));
    renderOrders();
  } catch (e) {
    if (e.status !== 401 && !state.orders.size) {
      $('orders-list').replaceChildren(el('li', { class: 'empty' }, 'Your orders cannot be loaded right now: ' + e.message));
    }
  }
}

let notificationsTimer = null;

async function loadNotifications() {
  try {
    const { data } = await call('GET', '/mypage/notifications');
    const items = (Array.isArray(data) ? data : []).slice(0, 20).map((n) => el('li', { class: 'notification' },
      el('span', { class: 'muted' }, timeOf(n.at) + ' · '),
      n.message || `Order #${shortId(n.orderId)}: ${statusLabel(n.status)}`));
    $('notifications-list').replaceChildren(...(items.length ? items : [el('li', { class: 'empty' }, 'Nothing yet.')]));
  } catch (e) { /* notifications are a nicety; the orders list carries the status */ }
}

function onChange(change) {
  if (!change || !change.orderId) return;
  const known = state.orders.get(change.orderId);
  if (known) {
    mergeOrder({ id: change.orderId, status: change.status, updatedAt: change.at }, true);
  } else {
    loadOrders();
  }
  clearTimeout(notificationsTimer);
  notificationsTimer = setTimeout(loadNotifications, 400);
}

async function cancel(order, note) {
  showMessage(note, 'Asking the barista…', 'info');
  try {
    const { data } = await call('POST', `/orders/${encodeURIComponent(order.id)}/cancel`);
    mergeOrder({ id: order.id, status: (data && data.status) || 'CANCEL_REQUESTED' }, true);
  } catch (e) {
    showMessage(note, e.message, 'error');
  }
}

function progress(status) {
  const reached = status === 'CANCEL_REQUESTED' ? 0 : STEPS.indexOf(status) + 1;
  const bad = status === 'CANCELLED' || status === 'REJECTED';
  return el('div', { class: 'progress', 'aria-hidden': 'true', dataset: { ended: bad ? 'bad' : 'no' } },
    STEPS.map((s, i) => el('span', { class: i < reached || bad ? 'done' : '' })));
}

function renderOrders() {
  const orders = [...state.orders.values()].sort((a, b) => String(b.createdAt || '').localeCompare(String(a.createdAt || '')));
  $('orders-count').textContent = String(orders.length);
  if (!orders.length) {
    $('orders-list').replaceChildren(el('li', { class: 'empty' }, 'No orders yet.'));
    return;
  }
  $('orders-list').replaceChildren(...orders.map((order) => {
    const note = el('p', { class: 'message', hidden: true });
    const items = (order.items || []).map((i) => `${i.qty} × ${nameOf(i.menuItemId)}`).join(', ');
    return el('li', { class: 'order', dataset: { testid: 'order-' + order.id, status: order.status } },
      el('div', { class: 'head' },
        el('strong', {}, '#' + shortId(order.id)),
        el('span', { class: 'muted' }, timeOf(order.createdAt)),
        el('span', { class: 'spacer grow' }),
        el('span', { class: 'pill', dataset: { testid: 'order-status-' + order.id, status: order.status } },
          statusLabel(order.status))),
      progress(order.status),
      el('div', { class: 'what' }, items || 'Your order', order.total !== undefined ? ` · ${money(order.total)}` : ''),
      order.cancelReason ? el('div', { class: 'muted' }, order.cancelReason === 'OUT_OF_STOCK'
        ? 'Something ran out, so the order was cancelled and refunded.' : 'Cancelled and refunded.') : null,
      CANCELLABLE.includes(order.status)
        ? el('button', { type: 'button', class: 'danger', dataset: { testid: 'cancel-' + order.id }, onclick: () => cancel(order, note) }, 'Cancel')
        : null,
      note);
  }));
}

start();
