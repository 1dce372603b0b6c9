'use strict';
// The dashboard: reads the local host's API every 10 seconds and draws plain tables. No framework, no build step.
(() => {
  const KEY = 'dunning.adminKey';
  const STATUSES = ['open', 'plan', 'dispute', 'paused', 'flagged', 'closed'];
  const MEANING = {
    open: 'being chased', plan: 'paying by plan or promise', dispute: 'in dispute, contact paused', paused: 'paused by you',
    flagged: 'your decision: court or agency', closed: 'finished',
  };
  const state = { summary: null, filter: 'all', seen: {}, problems: {}, openCase: null };
  const $ = (id) => document.getElementById(id);

  // ---- small helpers -------------------------------------------------------------------------------------------------
  function el(tag, props, ...kids) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid !== null && kid !== undefined) node.append(kid instanceof Node ? kid : String(kid));
    }
    return node;
  }
  function money(m) {
    if (!m) return '—';
    try { return new Intl.NumberFormat(undefined, { style: 'currency', currency: m.currency }).format(m.amount); }
    catch { return `${Number(m.amount).toFixed(2)} ${m.currency}`; }
  }
  const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
  const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const day = (s) => (s ? dayFormat.format(new Date(s.length === 10 ? `${s}T00:00:00Z` : s)) : '—');
  const when = (s) => (s ? `${timeFormat.format(new Date(s))} UTC` : '—');
  const num = (text, extra) => el('td', { class: `num ${extra || ''}`.trim() }, text);
  const badge = (status) => el('span', { class: `badge ${status}` }, status);

  /** A table with a caption, a header row (right-aligned where the column is numeric) and body rows. */
  function table(caption, columns, rows, foot) {
    return el('table', {},
      el('caption', { class: 'sr-only' }, caption),
      el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.startsWith('#') ? 'num' : null }, c.replace(/^#/, ''))))),
      el('tbody', {}, rows),
      foot ? el('tfoot', {}, foot) : null);
  }
  const empty = (text) => el('p', { class: 'empty' }, text);

  // ---- the API -------------------------------------------------------------------------------------------------------
  async function api(path, options = {}) {
    const headers = { Accept: 'application/json' };
    if (options.admin) headers['X-Admin-Key'] = sessionStorage.getItem(KEY) || '';
    if (options.body) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method: options.method || 'GET', headers, body: options.body });
    } catch (e) {
      throw new Error(`cannot reach the dunning host (${e.message}); is "dunning serve" still running?`);
    }
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch { body = null; }
    if (!response.ok) {
      const detail = (body && (body.detail || body.title)) || response.statusText || 'the host gave no reason';
      throw new Error(`HTTP ${response.status}: ${detail}`);
    }
    return { body, text };
  }

  function showProblems() {
    const box = $('problems');
    const list = Object.entries(state.problems);
    box.replaceChildren(...list.map(([what, message]) => el('p', {}, el('strong', {}, `${what}: `), message)));
    box.hidden = list.length === 0;
  }

  /** Loads one source; redraws only when its answer changed, so open scripts and focus survive the refresh. */
  async function load(name, path, targets, render) {
    try {
      const { body, text } = await api(path);
      delete state.problems[name];
      if (state.seen[name] !== text) {
        state.seen[name] = text;
        render(body);
      }
    } catch (e) {
      state.problems[name] = `could not load ${path}: ${e.message}`;
      state.seen[name] = null;
      for (const id of targets) { // "-id": emptied rather than told
        if (id.startsWith('-')) $(id.slice(1)).replaceChildren();
        else $(id).replaceChildren(el('p', { class: 'failed' }, 'Not available right now: see the message at the top.'));
      }
    }
  }

  // ---- summary: totals, statuses, stages, cases ----------------------------------------------------------------------
  function renderSummary(summary) {
    state.summary = summary;
    delete state.seen.Calls; // the calls table shows each case's status
    $('totals').replaceChildren(summary.totals.length === 0 ? empty('No cases yet.') : table('Money by currency',
      ['Currency', '#Cases', '#Owed', '#Recovered', '#Flagged'],
      summary.totals.map((t) => el('tr', {}, el('th', { scope: 'row' }, t.currency), num(t.cases),
        num(money(t.owed), 'owed'), num(money(t.recovered), 'recovered'), num(money(t.flagged), 'flagged')))));

    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
    const stages = {};
    for (const c of summary.cases) {
      counts[c.case.status] = (counts[c.case.status] || 0) + 1;
      stages[c.case.stage] = (stages[c.case.stage] || 0) + 1;
    }
    $('statuses').replaceChildren(...['all', ...STATUSES].map((s) => el('button', {
      type: 'button', class: `chip ${s}`, 'aria-pressed': String(state.filter === s), title: MEANING[s] || 'every case',
      onclick: () => setFilter(s),
    }, el('span', { class: 'count' }, s === 'all' ? summary.cases.length : counts[s]), ' ', s, MEANING[s] ? el('small', {}, MEANING[s]) : null)));
    $('stages').replaceChildren(table('Cases by stage', ['Stage', '#Cases'],
      Object.entries(stages).sort((a, b) => b[1] - a[1]).map(([stage, n]) => el('tr', {}, el('td', {}, stage), num(n)))));
    renderCases();
  }

  function setFilter(status) {
    state.filter = status;
    $('status-filter').value = status;
    for (const b of $('statuses').querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.classList.contains(status)));
    renderCases();
  }

  function renderCases() {
    if (!state.summary) return;
    const shown = state.summary.cases.filter((c) => state.filter === 'all' || c.case.status === state.filter);
    $('case-count').textContent = `${shown.length} of ${state.summary.cases.length} cases`;
    $('cases').replaceChildren(shown.length === 0 ? empty('No cases with this status.') : table('Cases',
      ['Invoice', 'Customer', 'Status', '#Balance', 'Due', '#Days overdue', 'Next action', 'Last action'],
      shown.map(({ case: c, dueDate, daysOverdue }) => el('tr', { 'data-invoice': c.invoiceId },
        el('td', { class: 'nowrap' }, el('button', { type: 'button', class: 'link', onclick: () => openCase(c.invoiceId), 'aria-label': `Open case ${c.invoiceId}` }, c.invoiceId),
          el('div', { class: 'muted' }, c.invoiceNumber)),
        el('td', {}, c.customerName),
        el('td', { class: 'nowrap' }, badge(c.status), el('div', { class: 'muted' }, c.stage)),
        num(money(c.balance)),
        el('td', { class: 'nowrap' }, day(dueDate)),
        num(c.status === 'closed' || daysOverdue <= 0 ? '—' : daysOverdue),
        el('td', {}, c.nextActionAt ? el('div', {}, when(c.nextActionAt)) : null, el('div', { class: 'muted' }, c.waiting)),
        el('td', {}, c.lastAction || '—')))));
  }

  // ---- one case ------------------------------------------------------------------------------------------------------
  async function openCase(id) {
    state.openCase = id;
    history.replaceState(null, '', `#case=${encodeURIComponent(id)}`);
    $('case-title').textContent = `Case ${id}`;
    const dialog = $('case-dialog');
    if (!dialog.open) dialog.showModal();
    await drawCase();
  }

  async function drawCase() {
    const id = state.openCase;
    if (!id) return;
    const body = $('case-body');
    try {
      const [view, files] = await Promise.all([
        api(`/api/cases/${encodeURIComponent(id)}`).then((r) => r.body),
        api(`/api/dashboard/cases/${encodeURIComponent(id)}/files`).then((r) => r.body),
      ]);
      if (state.openCase !== id) return;
      body.replaceChildren(...caseParts(view, files));
    } catch (e) {
      body.replaceChildren(el('p', { class: 'failed', role: 'alert' }, `Could not load case ${id}: ${e.message}`));
    }
  }

  function caseParts(v, files) {
    const s = v.status;
    $('case-title').textContent = `Case ${s.invoiceId}: ${s.customerName}`;
    const facts = [
      ['Status', el('span', {}, badge(s.status), ` ${s.stage}`)], ['Invoice', `${v.invoiceNumber}, due ${day(v.dueDate)}`],
      ['Amount', money(v.amount)], ['Paid', money(v.paid)], ['Credited', money(v.credited)], ['Balance', money(s.balance)],
      ['Customer', `${v.customerKind} in ${v.jurisdiction}`], ['Next action', `${s.nextActionAt ? `${when(s.nextActionAt)}: ` : ''}${s.waiting}`],
    ];
    if (v.charges.length) facts.push(['Charges', v.charges.map((c) => `${money(c.amount)} ${c.description}`).join('; ')]);
    if (v.plan) facts.push([v.plan.plan.isPromise ? 'Promise' : 'Plan', v.plan.plan.installments.map((i) => `#${i.number} ${money(i.amount)} on ${day(i.dueDate)}`).join('; ')]);
    if (v.dispute) facts.push(['Dispute', `${v.dispute.reason} (since ${day(v.dispute.openedAt)})`]);
    if (v.pause) facts.push(['Paused', `${v.pause.reason}${v.pause.until ? ` until ${day(v.pause.until)}` : ''}`]);
    if (v.ceased || v.ceasedChannels.length) facts.push(['Contact stopped', v.ceased ? 'all channels' : v.ceasedChannels.join(', ')]);
    const parts = [el('dl', { class: 'facts' }, facts.map(([k, d]) => [el('dt', {}, k), el('dd', {}, d)]))];

    if (v.outcome) {
      const r = v.outcome.recommendation;
      parts.push(el('h3', {}, r ? `Recommendation: ${r.kind}` : `Outcome: ${v.outcome.kind}`));
      if (r) {
        parts.push(el('dl', { class: 'facts' },
          [['Claim', money(r.claim)], ['Court', r.court], ['Filing fee', r.filingFee && money(r.filingFee)],
            ['Agency fee', r.agencyFee && money(r.agencyFee)], ['Time limit', r.limitationDate && day(r.limitationDate)]]
            .filter(([, d]) => d).map(([k, d]) => [el('dt', {}, k), el('dd', {}, d)])));
        parts.push(el('ul', {}, r.reasons.map((x) => el('li', {}, x))));
      } else {
        parts.push(el('p', {}, v.outcome.reason));
      }
    }

    const letters = v.timeline.filter((t) => t.event.channel === 'letter');
    parts.push(el('h3', {}, 'Letters and evidence'),
      letters.length ? table('Letters sent', ['Sent', 'To', 'Subject'], letters.map((t) =>
        el('tr', {}, el('td', {}, when(t.at)), el('td', {}, t.event.recipient), el('td', {}, t.event.subject || '')))) : empty('No letter was sent.'),
      files.letters.length || files.evidence.length
        ? el('div', {}, el('p', { class: 'muted' }, `Files in the data folder ${files.dataFolder}:`),
          el('ul', { class: 'files' }, [...files.letters, ...files.evidence].map((f) => el('li', {}, el('code', {}, f)))))
        : empty('No letter or evidence file was written for this case.'));

    parts.push(el('h3', {}, 'Timeline'), v.timeline.length === 0 ? empty('Nothing has happened yet.') : table('Timeline',
      ['When', 'What happened', 'Kind'],
      v.timeline.map((t) => el('tr', {}, el('td', { class: 'nowrap' }, when(t.at)), el('td', {}, t.what), el('td', { class: 'muted' }, t.event.$type)))));
    if (v.signals.length) {
      parts.push(el('h3', {}, 'What staff and payments sent'), table('Signals', ['Received', 'Result', 'What', 'Note'],
        v.signals.map((x) => el('tr', {}, el('td', { class: 'nowrap' }, when(x.receivedAt)), el('td', {}, x.outcome), el('td', {}, x.what), el('td', {}, x.note || '')))));
    }
    return parts;
  }

  // ---- calls, aging, review ------------------------------------------------------------------------------------------
  function renderCalls(tasks) {
    const statusOf = Object.fromEntries((state.summary?.cases || []).map((c) => [c.case.invoiceId, c.case.status]));
    $('calls').replaceChildren(tasks.length === 0 ? empty('No calls to make.') : table('Calls to make',
      ['Asked on', 'Invoice', 'Ask for', 'Phone', 'Case now', 'Script'],
      tasks.map((t) => el('tr', {},
        el('td', { class: 'nowrap' }, when(t.createdAt)),
        el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => openCase(t.invoiceId) }, t.invoiceId)),
        el('td', {}, `${t.contactName} at ${t.customerName}`),
        el('td', { class: 'nowrap' }, el('a', { href: `tel:${t.phone.replace(/\s+/g, '')}` }, t.phone)),
        el('td', {}, statusOf[t.invoiceId] ? badge(statusOf[t.invoiceId]) : '—',
          statusOf[t.invoiceId] === 'closed' ? el('div', { class: 'muted' }, 'no need to call') : null),
        el('td', {}, el('details', {}, el('summary', {}, 'Call script'), el('pre', { class: 'script' }, t.script)))))));
  }

  function renderAging(report) {
    const buckets = (b) => [b.current, b.days1To30, b.days31To60, b.days61To90, b.over90, b.total].map((m) => num(money(m), m.amount === 0 ? 'zero' : ''));
    const row = (r, head) => el('tr', { class: head ? 'total' : null },
      el(head ? 'th' : 'td', head ? { scope: 'row' } : {}, r.customerName), el('td', {}, r.currency), num(r.invoices), buckets(r.buckets));
    $('aging-title').textContent = `Aging of past-due accounts, as of ${day(report.asOf)}`;
    $('aging').replaceChildren(report.rows.length === 0 ? empty('Nothing is owed.') : table('Aging by customer and currency',
      ['Customer', 'Currency', '#Invoices', '#Current', '#1–30 days', '#31–60 days', '#61–90 days', '#Over 90 days', '#Total'],
      report.rows.map((r) => row(r, false)), report.totals.map((r) => row({ ...r, customerName: `Total ${r.currency}` }, true))));
  }

  function renderReview(items) {
    $('review').replaceChildren(items.length === 0 ? empty('Nothing waiting.') : table('Payments waiting for review',
      ['Received', 'Provider', 'Event', 'Invoice named', 'Why it waits', 'Details'],
      items.map((i) => el('tr', {},
        el('td', { class: 'nowrap' }, when(i.receipt.receivedAt)), el('td', {}, i.receipt.provider), el('td', {}, el('code', {}, i.receipt.eventId)),
        el('td', {}, i.receipt.invoiceId || '—'), el('td', {}, i.reason),
        el('td', {}, el('details', {}, el('summary', {}, 'Payload'), el('pre', { class: 'script' }, i.receipt.payload)))))));
  }

  // ---- refresh loop and controls -------------------------------------------------------------------------------------
  async function refresh() {
    await load('Clock', '/api/clock', [], (c) => {
      $('clock').textContent = `As of ${when(c.now)}${c.simulated ? ' (simulated clock)' : ''}`;
      $('advance-day').hidden = !c.simulated;
    });
    await load('Cases and totals', '/api/dashboard', ['totals', 'statuses', '-stages', 'cases'], renderSummary);
    await Promise.all([
      load('Calls', '/api/calltasks', ['calls'], renderCalls),
      load('Aging report', '/api/reports/aging', ['aging'], renderAging),
      load('Payments for review', '/api/webhooks/review', ['review'], renderReview),
    ]);
    if ($('case-dialog').open) await drawCase();
    showProblems();
    $('refreshed').textContent = `updated ${new Date().toLocaleTimeString()}`;
  }

  async function admin(path, body, done) {
    if (!sessionStorage.getItem(KEY)) {
      state.problems.Admin = 'paste the admin key first (the host prints it at start, or set Dunning__AdminKey).';
      showProblems();
      return;
    }
    let said = null;
    try {
      const { body: answer } = await api(path, { method: 'POST', admin: true, body: body && JSON.stringify(body) });
      delete state.problems.Admin;
      said = done(answer);
      state.seen = {};
    } catch (e) {
      state.problems.Admin = `${path} failed: ${e.message}`;
    }
    await refresh();
    if (said) $('refreshed').textContent = said;
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('admin-key').value = sessionStorage.getItem(KEY) || '';
    $('admin-form').addEventListener('submit', (e) => {
      e.preventDefault();
      sessionStorage.setItem(KEY, $('admin-key').value.trim());
      delete state.problems.Admin;
      showProblems();
      $('refreshed').textContent = 'admin key saved for this tab';
    });
    $('forget-key').addEventListener('click', () => { sessionStorage.removeItem(KEY); $('admin-key').value = ''; });
    $('run-scan').addEventListener('click', () => admin('/api/scan', null, (a) => `scan done: ${a.scan.started} case(s) started, ${a.run.effects} action(s) taken`));
    $('advance-day').addEventListener('click', () => admin('/api/clock/advance', { days: 1 }, (a) => `clock moved to ${when(a.now)}`));
    $('status-filter').addEventListener('change', (e) => setFilter(e.target.value));
    $('close-case').addEventListener('click', () => $('case-dialog').close());
    $('case-dialog').addEventListener('close', () => { state.openCase = null; history.replaceState(null, '', location.pathname); });
    refresh().then(() => {
      const match = /^#case=(.+)$/.exec(location.hash);
      if (match) openCase(decodeURIComponent(match[1]));
    });
    setInterval(refresh, 10000);
  });
})();
