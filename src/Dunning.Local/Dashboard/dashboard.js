'use strict';
// The dashboard: reads the local host's API every 10 seconds and draws plain tables. No framework, no build step.
(() => {
  const KEY = 'dunning.adminKey';
  const STATUSES = ['open', 'plan', 'dispute', 'paused', 'flagged', 'closed'];
  const MEANING = {
    open: 'being chased', plan: 'paying by plan or promise', dispute: 'in dispute, contact paused', paused: 'paused by you',
    flagged: 'your decision: court or agency', closed: 'finished',
  };
  const state = { summary: null, filter: 'all', seen: {}, problems: {}, openCase: null, now: null, draws: 0, act: freshActions() };
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
    // A host listening beyond loopback wants the key on every read too; on loopback it is only asked for by admin routes.
    const key = sessionStorage.getItem(KEY);
    if (key || options.admin) headers['X-Admin-Key'] = key || '';
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
      const error = new Error(`HTTP ${response.status}: ${detail}`);
      error.status = response.status;
      error.problem = body && typeof body === 'object' ? body : { detail };
      throw error;
    }
    return { body, text, status: response.status };
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

    // Counts and stages come from the host's figures over every case: the page holds only the first cases.
    const counts = Object.fromEntries(STATUSES.map((s) => [s, summary.statuses[s] || 0]));
    const stages = summary.stages;
    $('statuses').replaceChildren(...['all', ...STATUSES].map((s) => el('button', {
      type: 'button', class: `chip ${s}`, 'aria-pressed': String(state.filter === s), title: MEANING[s] || 'every case',
      onclick: () => setFilter(s),
    }, el('span', { class: 'count' }, s === 'all' ? summary.total : counts[s]), ' ', s, MEANING[s] ? el('small', {}, MEANING[s]) : null)));
    $('stages').replaceChildren(table('Cases by stage', ['Stage', '#Cases'],
      Object.entries(stages).sort((a, b) => b[1] - a[1]).map(([stage, n]) => el('tr', {}, el('td', {}, stage), num(n)))));
    renderCases();
  }

  /** The host filters: the page of cases it sends is of the status asked for. */
  function summaryPath() {
    return state.filter === 'all' ? '/api/dashboard' : `/api/dashboard?status=${encodeURIComponent(state.filter)}`;
  }

  async function setFilter(status) {
    state.filter = status;
    $('status-filter').value = status;
    for (const b of $('statuses').querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.classList.contains(status)));
    renderCases();
    await load('Cases and totals', summaryPath(), ['totals', 'statuses', '-stages', 'cases'], renderSummary);
    showProblems();
  }

  function renderCases() {
    if (!state.summary) return;
    const shown = state.summary.cases.filter((c) => state.filter === 'all' || c.case.status === state.filter);
    const of = state.filter === 'all' ? state.summary.total : (state.summary.statuses[state.filter] || 0);
    $('case-count').textContent = `${shown.length} of ${of} cases${shown.length < of ? ' (the first by invoice; GET /api/cases pages through the rest)' : ''}`;
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
    if (state.openCase !== id) {
      state.act = freshActions();
      $('case-title').textContent = `Case ${id}`;
      $('case-body').replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    }
    state.openCase = id;
    history.replaceState(null, '', `#case=${encodeURIComponent(id)}`);
    const dialog = $('case-dialog');
    if (!dialog.open) dialog.showModal();
    await drawCase();
  }

  /**
   * Draws the open case: its facts and history whenever they changed, its action forms only when the actions that make
   * sense changed (or after an action), so what a person is typing survives the 10-second refresh.
   */
  async function drawCase() {
    const id = state.openCase;
    if (!id) return;
    const body = $('case-body');
    const ticket = ++state.draws; // an older draw that answers late must not overwrite a newer one
    try {
      const [view, files] = await Promise.all([
        api(`/api/cases/${encodeURIComponent(id)}`),
        api(`/api/dashboard/cases/${encodeURIComponent(id)}/files`),
      ]);
      if (state.openCase !== id || ticket !== state.draws) return;
      $('case-title').textContent = `Case ${view.body.status.invoiceId}: ${view.body.status.customerName}`;
      const seen = view.text + files.text;
      if (state.act.seen === seen && $('case-actions')) return;
      state.act.seen = seen;
      if (!$('case-actions')) body.replaceChildren(el('div', { id: 'case-facts' }), el('section', { id: 'case-actions', 'aria-labelledby': 'case-actions-title' }), el('div', { id: 'case-history' }));
      $('case-facts').replaceChildren(...caseParts(view.body));
      $('case-history').replaceChildren(...historyParts(view.body, files.body));
      const key = actionsKey(view.body);
      if (state.act.key !== key) {
        state.act.key = key;
        $('case-actions').replaceChildren(...actionParts(view.body).flat(Infinity).filter(Boolean));
        if (state.act.focus) $('action-said').focus(); // the button pressed is gone: keyboard and screen reader land on the answer
        state.act.focus = false;
      }
    } catch (e) {
      if (state.openCase !== id || ticket !== state.draws) return;
      state.act.seen = null;
      state.act.key = null;
      body.replaceChildren(el('p', { class: 'failed', role: 'alert' }, `Could not load case ${id}: ${e.message}`));
    }
  }

  function caseParts(v) {
    const s = v.status;
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

    return parts;
  }

  function historyParts(v, files) {
    const parts = [];
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

  // ---- acting on a case: staff actions over POST /api/cases/{id}/... -------------------------------------------------
  /** What the actions area remembers for the open case: the last answer in words, refusals per form, what was drawn. */
  function freshActions() { return { said: null, refused: {}, key: null, seen: null, focus: false }; }

  const isoDay = (d) => d.toISOString().slice(0, 10);
  const addDays = (dayText, n) => isoDay(new Date(Date.parse(`${dayText}T00:00:00Z`) + n * 86400000));
  /** Today on the host's clock (which may be simulated), as YYYY-MM-DD in UTC. */
  const hostToday = () => isoDay(state.now ? new Date(state.now) : new Date());
  const owed = (m) => (m && m.amount > 0 ? String(m.amount) : null);

  /** The actions that make sense for the case as it is now; the server still judges each one. */
  function actionsFor(v, today) {
    const currency = v.amount.currency;
    const ended = Boolean(v.outcome);
    const list = [{
      key: 'payment', title: 'Record a payment', path: 'payments', button: 'Record payment',
      blurb: 'Money that reached you outside the payment webhooks: a cheque, a bank transfer, cash.',
      fields: [
        ['amount', 'Amount', { type: 'number', min: '0.01', step: '0.01', inputmode: 'decimal', required: true, value: owed(v.status.balance) }, `Owed now: ${money(v.status.balance)}.`],
        ['currency', 'Currency', { type: 'text', required: true, maxlength: '3', size: '4', autocomplete: 'off', spellcheck: 'false', value: currency }, 'The invoice\u2019s currency.'],
        ['paidAt', 'Paid on', { type: 'date', required: true, max: today, value: today }],
        ['reference', 'Reference', { type: 'text', required: true, autocomplete: 'off', placeholder: 'cheque 1042, transfer id' }, 'The same reference twice is recorded once.'],
      ],
      // Today: no paidAt, so the host uses its own now. Another day: noon UTC, which is that day in most timezones.
      body: (f) => ({
        amount: Number(f.amount), currency: f.currency.trim().toUpperCase(),
        paidAt: f.paidAt && f.paidAt !== today ? `${f.paidAt}T12:00:00Z` : undefined, reference: f.reference.trim(),
      }),
    }];
    if (ended) return list;
    if (!v.plan && !v.dispute) {
      list.push({
        key: 'plan', title: 'Agree a payment plan', path: 'plan', button: 'Agree plan',
        blurb: `Splits the ${money(v.principal)} owed into equal installments. Reminders pause while the plan runs.`,
        fields: [
          ['count', 'Installments', { type: 'number', min: '1', step: '1', required: true, value: '3' }],
          ['firstDueDate', 'First one due on', { type: 'date', required: true, min: today, value: addDays(today, 7) }],
          ['intervalDays', 'Days between installments', { type: 'number', min: '1', step: '1', required: true, value: '30' }],
        ],
        body: (f) => ({ count: Number(f.count), firstDueDate: f.firstDueDate, intervalDays: Number(f.intervalDays) }),
      }, {
        key: 'promise', title: 'Record a promise to pay', path: 'promise', button: 'Record promise',
        blurb: 'The customer promised to pay by a date. Reminders pause until then.',
        fields: [
          ['date', 'Pay by', { type: 'date', required: true, min: today, value: addDays(today, 7) }],
          ['amount', 'Amount', { type: 'number', min: '0.01', step: '0.01', inputmode: 'decimal', required: true, value: owed(v.principal) }, `At most the ${money(v.principal)} owed.`],
        ],
        body: (f) => ({ date: f.date, amount: Number(f.amount) }),
      });
    }
    if (v.dispute) {
      list.push({
        key: 'resolve', title: 'Resolve the dispute', path: 'dispute/resolve', button: 'Resolve dispute',
        blurb: `Open since ${day(v.dispute.openedAt)}: \u201c${v.dispute.reason}\u201d.`,
        fields: [
          ['outcome', 'Outcome', { tag: 'select', value: 'rejected', options: [['rejected', 'rejected: the invoice stands, reminders resume'], ['upheld', 'upheld: the customer is right']] }],
          ['creditAmount', `Credit in ${currency}`, { type: 'number', min: '0.01', step: '0.01', inputmode: 'decimal', disabled: true }, 'Upheld only; leave empty for no credit.'],
          ['note', 'Note', { type: 'text', autocomplete: 'off' }],
        ],
        setup: (form) => {
          const sync = () => { form.elements.creditAmount.disabled = form.elements.outcome.value !== 'upheld'; };
          form.elements.outcome.addEventListener('change', sync);
        },
        body: (f) => ({ outcome: f.outcome, creditAmount: f.creditAmount ? Number(f.creditAmount) : undefined, note: f.note.trim() || undefined }),
      });
    } else {
      list.push({
        key: 'dispute', title: 'Open a dispute', path: 'dispute', button: 'Open dispute',
        blurb: 'The customer contests the invoice. All contact pauses until you resolve the dispute.',
        fields: [['reason', 'What the customer disputes', { tag: 'textarea', rows: '2', required: true }]],
        body: (f) => ({ reason: f.reason.trim() }),
      });
    }
    if (v.pause) {
      list.push({
        key: 'resume', title: 'Resume the case', path: 'resume', button: 'Resume',
        blurb: `Paused since ${day(v.pause.at)}: \u201c${v.pause.reason}\u201d${v.pause.until ? `, until ${day(v.pause.until)}` : ''}. Reminders carry on where they stopped.`,
        fields: [],
        body: () => null,
      });
    } else {
      list.push({
        key: 'pause', title: 'Pause the case', path: 'pause', button: 'Pause',
        blurb: 'No reminders until you resume the case, or until the date you give.',
        fields: [
          ['reason', 'Reason', { type: 'text', autocomplete: 'off', placeholder: 'paused by staff' }],
          ['until', 'Until (optional)', { type: 'date', min: addDays(today, 1) }],
        ],
        body: (f) => ({ reason: f.reason.trim() || undefined, until: f.until ? `${f.until}T00:00:00Z` : undefined }),
      });
    }
    if (!v.ceased) {
      const channels = ['email', 'letter', 'call'].filter((c) => !v.ceasedChannels.includes(c));
      list.push({
        key: 'cease', title: 'Stop contacting the customer', path: 'cease', button: 'Stop contact',
        blurb: 'When the customer asks you to stop, on every channel or on one. This cannot be undone here.',
        fields: [
          ['channel', 'Channel', { tag: 'select', value: '', options: [['', 'every channel'], ...channels.map((c) => [c, `${c} only`])] }],
          ['note', 'Note', { type: 'text', autocomplete: 'off', placeholder: 'asked by phone on …' }],
        ],
        body: (f) => ({ channel: f.channel || undefined, note: f.note.trim() || undefined }),
      });
    }
    return list;
  }

  /** Which forms to offer depends on these; the forms are redrawn (and cleared) only when they change. */
  const actionsKey = (v) => JSON.stringify([v.status.invoiceId, v.status.status, Boolean(v.plan), Boolean(v.dispute), Boolean(v.pause),
    v.ceased, v.ceasedChannels, v.amount.currency, v.outcome && v.outcome.kind]);

  function actionParts(v) {
    const today = hostToday();
    const list = actionsFor(v, today);
    const offered = new Set(list.map((a) => a.key));
    const said = state.act.said;
    const orphans = Object.entries(state.act.refused).filter(([key]) => !offered.has(key));
    return [
      el('h3', { id: 'case-actions-title' }, 'Act on this case'),
      el('p', { class: 'muted' }, v.outcome
        ? `The case has ended (${v.outcome.kind}): only a payment can still be recorded. Each action goes to the host at once; its answer shows here.`
        : 'Each action goes to the host at once; its answer shows here and the case is redrawn.'),
      el('div', { id: 'action-said', class: `said ${said ? said.kind : ''}`, role: 'status', tabindex: '-1', hidden: !said }, said ? said.text : null),
      orphans.map(([, refusal]) => el('div', { class: 'refused', role: 'alert', tabindex: '-1' }, el('p', {}, el('strong', {}, refusal.action)), refusalParts(refusal))),
      list.map((a) => actionForm(v, a)),
    ];
  }

  function actionForm(v, action) {
    const id = (name) => `act-${action.key}-${name}`;
    const answer = el('div', { id: id('answer'), class: 'form-answer', role: 'alert' });
    const form = el('form', { class: 'action-form', 'data-action': action.key, 'aria-describedby': id('blurb') },
      el('p', { id: id('blurb'), class: 'muted' }, action.blurb),
      action.fields.length ? el('div', { class: 'fields' }, action.fields.map(([name, label, props, hint]) => field(id(name), name, label, props, hint))) : null,
      el('p', { class: 'form-foot' }, el('button', { type: 'submit', class: 'primary' }, action.button)),
      answer);
    if (action.setup) action.setup(form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      act(v.status.invoiceId, action, form);
    });
    const refusal = state.act.refused[action.key];
    if (refusal) showRefusal(form, refusal);
    return el('details', { class: 'action', 'data-action': action.key, open: Boolean(refusal) },
      el('summary', {}, action.title), form);
  }

  function field(id, name, label, props, hint) {
    const { tag, options, value, ...rest } = props;
    const described = hint ? `${id}-hint` : null;
    let control;
    if (tag === 'select') {
      control = el('select', { id, name, 'aria-describedby': described, ...rest },
        options.map(([v, text]) => el('option', { value: v, selected: v === value }, text)));
    } else if (tag === 'textarea') {
      control = el('textarea', { id, name, 'aria-describedby': described, ...rest }, value || '');
    } else {
      control = el('input', { id, name, 'aria-describedby': described, value, ...rest });
    }
    return el('div', { class: `field field-${name}` },
      el('label', { for: id }, label), control, hint ? el('small', { id: described }, hint) : null);
  }

  /** Sends one action and tells the person what the host answered: done, nothing to do, or why not. */
  async function act(invoiceId, action, form) {
    const button = form.querySelector('button[type="submit"]');
    const answer = form.querySelector('.form-answer');
    const values = Object.fromEntries(new FormData(form).entries());
    const body = action.body(values);
    button.disabled = true;
    button.textContent = 'Sending…';
    form.setAttribute('aria-busy', 'true');
    answer.replaceChildren();
    delete state.act.refused[action.key];
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    try {
      const admin = Boolean(sessionStorage.getItem(KEY));
      const { body: reply, status } = await api(`/api/cases/${encodeURIComponent(invoiceId)}/${action.path}`,
        { method: 'POST', admin, body: body === null ? undefined : JSON.stringify(body) });
      const now = reply && reply.case ? ` The case is now ${reply.case.status}, balance ${money(reply.case.balance)}.` : '';
      state.act.said = status === 202
        ? { kind: 'done', text: `Done: ${reply.accepted}.${now}` }
        : { kind: 'unchanged', text: `Nothing changed: ${(reply && reply.unchanged) || 'the case already says so.'}` };
      state.act.refused = {};
      state.act.key = null; // redraw the forms: cleared, and the ones that make sense now
      state.act.seen = null;
      state.act.focus = true;
      state.seen = {};
      if (state.openCase === invoiceId) await refresh();
    } catch (e) {
      const problem = e.problem || { detail: e.message };
      const refusal = { status: e.status, title: problem.title, detail: problem.detail || e.message, errors: Array.isArray(problem.errors) ? problem.errors : [] };
      if (e.status === 401) refusal.detail += ' Paste the admin key in the Admin panel at the top of the page, then try again.';
      refusal.action = action.title;
      state.act.refused[action.key] = refusal;
      showRefusal(form, refusal);
      if (e.status === 409 && state.openCase === invoiceId) {
        // The case moved on since it was drawn: redraw it, so it offers what makes sense now (the refusal stays shown).
        state.act.seen = null;
        state.act.key = null;
        await drawCase();
        if (!form.isConnected) document.querySelector('#case-actions .refused')?.focus();
      }
    } finally {
      button.disabled = false;
      button.textContent = action.button;
      form.removeAttribute('aria-busy');
    }
  }

  function refusalParts(r) {
    const extra = r.errors.filter((x) => x !== r.detail);
    return [
      el('p', {}, el('strong', {}, r.status ? `Not done (HTTP ${r.status}${r.title ? `, ${r.title}` : ''}): ` : 'Not done: '), r.detail),
      r.errors.length > 1 || extra.length ? el('ul', {}, r.errors.map((x) => el('li', {}, x))) : null,
    ];
  }

  /** Shows a refusal under its form and marks the fields it names ("count: ..." marks the count field). */
  function showRefusal(form, refusal) {
    const answer = form.querySelector('.form-answer');
    answer.replaceChildren(el('div', { class: 'refused' }, refusalParts(refusal)));
    for (const text of [refusal.detail, ...refusal.errors]) {
      const name = /^([A-Za-z]+):/.exec(text || '');
      const input = name && form.elements.namedItem(name[1]);
      if (input && input.setAttribute) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-errormessage', answer.id);
      }
    }
  }

  // ---- calls, aging, review ------------------------------------------------------------------------------------------
  function renderCalls(tasks) {
    const statusOf = Object.fromEntries((state.summary?.cases || []).map((c) => [c.case.invoiceId, c.case.status]));
    $('calls').replaceChildren(tasks.length === 0 ? empty('No calls to make.') : table('Calls to make',
      ['Asked on', 'Invoice', 'Ask for', 'Phone', 'Case now', 'Script', 'Done'],
      tasks.map((t) => el('tr', {},
        el('td', { class: 'nowrap' }, when(t.createdAt)),
        el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => openCase(t.invoiceId) }, t.invoiceId)),
        el('td', {}, t.who),
        el('td', { class: 'nowrap' }, el('a', { href: `tel:${t.phone.replace(/\s+/g, '')}` }, t.phone)),
        el('td', {}, statusOf[t.invoiceId] ? badge(statusOf[t.invoiceId]) : '—',
          statusOf[t.invoiceId] === 'closed' ? el('div', { class: 'muted' }, 'no need to call') : null),
        el('td', {}, el('details', {}, el('summary', {}, 'Call script'), el('pre', { class: 'script' }, t.script))),
        el('td', {}, callLogForm(t))))));
  }

  /** A call is a work item: whoever made it says how it went; a promise or a dispute goes to the case. */
  function callLogForm(t) {
    const field = (label, input) => el('label', {}, label, input);
    const form = el('form', { class: 'action-form call-log', 'data-call': t.key },
      field('Outcome', el('select', { name: 'outcome', required: '' },
        ...[['reached', 'Reached'], ['no-answer', 'No answer'], ['promise', 'Promised to pay'], ['dispute', 'Disputes it']]
          .map(([value, text]) => el('option', { value }, text)))),
      field('Note', el('input', { name: 'note', maxlength: '500' })),
      field('Promised date', el('input', { name: 'date', type: 'date', disabled: '' })),
      field('Promised amount', el('input', { name: 'amount', type: 'number', step: '0.01', min: '0.01', disabled: '' })),
      field('What is disputed', el('input', { name: 'reason', maxlength: '500', disabled: '' })),
      el('p', { class: 'form-foot' }, el('button', { type: 'submit', class: 'primary' }, 'Log the call')));
    const sync = () => {
      const outcome = form.elements.outcome.value;
      form.elements.date.disabled = form.elements.amount.disabled = outcome !== 'promise';
      form.elements.reason.disabled = outcome !== 'dispute';
    };
    form.elements.outcome.addEventListener('change', sync);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const v = Object.fromEntries(new FormData(form).entries());
      const body = { outcome: v.outcome, note: v.note || null };
      if (v.outcome === 'promise') body.promise = { date: v.date, amount: Number(v.amount) };
      if (v.outcome === 'dispute') body.reason = v.reason;
      const path = '/api/calltasks/' + t.key.split('/').map(encodeURIComponent).join('/');
      let said = null;
      try {
        const { body: reply } = await api(path, { method: 'POST', admin: Boolean(sessionStorage.getItem(KEY)), body: JSON.stringify(body) });
        delete state.problems['Call log'];
        said = `call to ${t.who} logged: ${reply.accepted || reply.unchanged || v.outcome}`;
      } catch (err) {
        const problem = err.problem || { detail: err.message };
        state.problems['Call log'] = `the call to ${t.who} was not logged (HTTP ${err.status || '?'}): ${[problem.detail, ...(problem.errors || [])].filter(Boolean).join(' ')}`;
      }
      state.seen = {};
      await refresh();
      if (said) $('refreshed').textContent = said;
    });
    return el('details', {}, el('summary', {}, 'Log the call'), form);
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
      state.now = c.now;
      $('clock').textContent = `As of ${when(c.now)}${c.simulated ? ' (simulated clock)' : ''}`;
      $('advance-day').hidden = !c.simulated;
    });
    await load('Cases and totals', summaryPath(), ['totals', 'statuses', '-stages', 'cases'], renderSummary);
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
    $('case-dialog').addEventListener('close', () => { state.openCase = null; state.act = freshActions(); history.replaceState(null, '', location.pathname); });
    refresh().then(() => {
      const match = /^#case=(.+)$/.exec(location.hash);
      if (match) openCase(decodeURIComponent(match[1]));
    });
    setInterval(refresh, 10000);
  });
})();
