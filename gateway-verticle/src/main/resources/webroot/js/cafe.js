// Shared by the cafe's pages: the signed-in session, JSON calls with problem+json errors,
// live order updates over the WebSocket, and a tiny element builder that never parses HTML.

const STATUS_LABELS = {
  PAYMENT_PENDING: 'Payment pending',
  PAID: 'Paid',
  REJECTED: 'Declined',
  QUEUED: 'In the queue',
  BREWING: 'Brewing',
  READY: 'Ready',
  DELIVERING: 'On the way',
  DELIVERED: 'Delivered',
  CANCEL_REQUESTED: 'Cancelling…',
  CANCELLED: 'Cancelled',
  WAITING: 'Waiting for a rider',
};

export function statusLabel(status) {
  return STATUS_LABELS[status] || status || '…';
}

const won = new Intl.NumberFormat('ko-KR');

export function money(amount) {
  return '₩' + won.format(Number(amount) || 0);
}

export function shortId(id) {
  return id ? String(id).slice(0, 8) : '';
}

export function timeOf(iso) {
  if (!iso) return '';
  const at = new Date(iso);
  return isNaN(at) ? '' : at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** el('button', {class: 'primary', dataset: {testid: 'x'}, onclick: fn}, 'text', child) */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A random id for Idempotency-Key; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent([...atob(part)].map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch (e) {
    return {};
  }
}

/** The signed-in person of one page; each page keeps its own, so a barista and a customer can share a phone. */
export class Session {
  constructor(page) {
    this.key = 'cafe.session.' + page;
  }

  get() {
    try {
      const saved = JSON.parse(localStorage.getItem(this.key) || 'null');
      if (saved && saved.exp * 1000 > Date.now() + 5000) return saved;
    } catch (e) { /* a broken entry is as good as none */ }
    this.clear();
    return null;
  }

  save(answer) {
    const claims = claimsOf(answer.access_token);
    const session = {
      token: answer.access_token,
      username: claims.preferred_username || claims.sub,
      roles: answer.roles || claims.roles || [],
      exp: claims.exp || Math.floor(Date.now() / 1000) + (answer.expires_in || 3600),
    };
    localStorage.setItem(this.key, JSON.stringify(session));
    return session;
  }

  clear() {
    localStorage.removeItem(this.key);
  }
}

/** A JSON call through the gateway; a problem+json answer becomes an Error with status and detail. */
export async function api(method, path, { token, body, headers } = {}) {
  const sent = { ...(headers || {}) };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  if (token) sent.Authorization = 'Bearer ' + token;
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    const offline = new Error('The cafe cannot be reached. Check your connection and try again.');
    offline.status = 0;
    throw offline;
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = null; }
  }
  if (!response.ok) {
    const error = new Error((data && (data.detail || data.title)) || `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.problem = data;
    error.retryAfter = response.headers.get('Retry-After');
    throw error;
  }
  return { status: response.status, data, headers: response.headers };
}

/**
 * Live order changes: {orderId, status, event, at} for each change. Reconnects with a growing
 * pause while the page is open; onState('open' | 'closed') drives the live indicator.
 */
export function liveUpdates(token, onChange, onState) {
  let socket = null;
  let stopped = false;
  let pause = 1000;
  let timer = null;

  function connect() {
    if (stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/ws/orders?access_token=${encodeURIComponent(token)}`);
    socket.onopen = () => {
      pause = 1000;
      onState('open');
    };
    socket.onmessage = (message) => {
      try {
        onChange(JSON.parse(message.data));
      } catch (e) { /* not a change: ignore */ }
    };
    socket.onclose = () => {
      onState('closed');
      if (!stopped) {
        timer = setTimeout(connect, pause);
        pause = Math.min(pause * 2, 15000);
      }
    };
  }

  connect();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      if (socket) socket.close();
    },
  };
}

export function setLive(indicator, state) {
  indicator.dataset.state = state;
  indicator.textContent = state === 'open' ? 'Live' : 'Reconnecting…';
  indicator.title = state === 'open' ? 'Status changes arrive as they happen' : 'Live updates paused; retrying';
}

export function showMessage(node, text, kind) {
  node.textContent = text || '';
  node.dataset.kind = kind || 'info';
  node.hidden = !text;
}

/**
 * The staff boards' "Find an order" card (#lookup-form, #lookup-id, #lookup-message, #lookup-result): the
 * order by its short form or whole id (GET /orders/{id}), then its timeline from my page. {@code call} makes
 * an authenticated call, as the board does; {@code nameOf} gives a menu item's name.
 */
export function bindOrderLookup(call, nameOf) {
  const $ = (id) => document.getElementById(id);
  $('order-lookup').append(
    el('h2', {}, 'Find an order'),
    el('form', { id: 'lookup-form', class: 'lookup', autocomplete: 'off' },
      el('label', { for: 'lookup-id' }, "Order number (the 8 characters on the customer's page) or its whole id"),
      el('input', { id: 'lookup-id', name: 'order', autocapitalize: 'none', spellcheck: 'false', required: true }),
      el('div', { class: 'actions' }, el('button', { id: 'lookup-button', class: 'primary', type: 'submit' }, 'Find'))),
    el('p', { id: 'lookup-message', class: 'message', hidden: true }),
    el('div', { id: 'lookup-result', dataset: { testid: 'lookup-result' }, hidden: true }));
  $('lookup-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const asked = $('lookup-id').value.trim();
    const result = $('lookup-result');
    result.hidden = true;
    result.replaceChildren();
    if (!asked) return;
    try {
      const { data: order } = await call('GET', '/orders/' + encodeURIComponent(asked));
      let timeline = [];
      try {
        const { data: view } = await call('GET', '/mypage/orders/' + encodeURIComponent(order.id));
        timeline = (view && view.timeline) || [];
      } catch (e) { /* my page may not know it yet: the status is enough */ }
      const items = (order.items || []).map((i) => `${i.qty} × ${i.name || nameOf(i.menuItemId)}`).join(', ');
      result.append(
        el('p', {},
          el('strong', {}, '#' + shortId(order.id)), ' · ',
          el('span', { class: 'pill', dataset: { testid: 'lookup-status', status: order.status } }, statusLabel(order.status)),
          ' · ', items),
        el('ol', { class: 'timeline', dataset: { testid: 'lookup-timeline' } },
          ...timeline.map((step) => el('li', {}, `${timeOf(step.at)} ${step.event}`))));
      result.hidden = false;
      showMessage($('lookup-message'), '');
    } catch (e) {
      showMessage($('lookup-message'), e.status === 404 ? 'No order ' + asked + '.' : e.message, 'warn');
    }
  });
}

/**
 * Wires the sign-in form: #login-form with #login-username, #login-password, #login-button and,
 * where people may create accounts, #signup-button; messages go to #auth-message.
 * allowedRoles limits a staff board to the staff it is for.
 */
export function bindSignIn(session, { allowedRoles, onSignedIn }) {
  const form = document.getElementById('login-form');
  const username = document.getElementById('login-username');
  const password = document.getElementById('login-password');
  const message = document.getElementById('auth-message');
  const signup = document.getElementById('signup-button');
  const buttons = form.querySelectorAll('button');

  async function signIn() {
    const answer = await api('POST', '/auth/token', { body: { username: username.value, password: password.value } });
    const roles = answer.data.roles || [];
    if (allowedRoles && !roles.some((role) => allowedRoles.includes(role))) {
      throw new Error(`This page is for ${allowedRoles.join(' or ')} accounts; ${username.value} is a ${roles.join(', ')}.`);
    }
    password.value = '';
    onSignedIn(session.save(answer.data));
  }

  async function run(action) {
    buttons.forEach((b) => { b.disabled = true; });
    showMessage(message, '');
    try {
      await action();
    } catch (e) {
      showMessage(message, e.status === 401 ? 'That username and password do not match.' : e.message, 'error');
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(signIn);
  });
  if (signup) {
    signup.addEventListener('click', () => {
      if (!form.reportValidity()) return;
      run(async () => {
        await api('POST', '/auth/signup', { body: { username: username.value, password: password.value } });
        await signIn();
      });
    });
  }
}

export function bindSignOut(session, live) {
  document.getElementById('logout-button').addEventListener('click', () => {
    if (live.current) live.current.close();
    session.clear();
    location.reload();
  });
}
