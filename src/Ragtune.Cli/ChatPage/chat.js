// Ragtune chat page: a client of the public HTTP API only (POST /api/ask, POST /api/feedback, GET /api/documents,
// GET /api/health), plus the dataset endpoints that `ragtune serve` alone has (GET /api/datasets,
// POST /api/datasets/export). Plain JavaScript, no build step, nothing loaded from elsewhere.
'use strict';

(() => {
  const settingsKey = 'ragtune.chat.settings';
  const tokenKey = 'ragtune.chat.token';
  const maxHistoryTurns = 10;
  const maxHistoryTurnLength = 8000;

  const $ = (selector, root = document) => root.querySelector(selector);

  /** Where the API is and the function key to send, kept in this browser only. */
  const settings = loadSettings();

  /**
   * An access token of the server's identity provider, sent as `Authorization: Bearer` when the server checks tokens
   * (Ragtune:Auth:Authority). Kept for this tab only (sessionStorage): tokens expire within the hour, and a token left
   * in lasting storage outlives the sign-in that made it.
   */
  let accessToken = sessionStorage.getItem(tokenKey) ?? '';

  /** The finished exchanges of the conversation, sent as history with the next question. */
  let history = [];
  let turnCount = 0;

  function loadSettings() {
    try {
      const saved = JSON.parse(localStorage.getItem(settingsKey) ?? '{}');
      return { baseUrl: String(saved.baseUrl ?? ''), functionKey: String(saved.functionKey ?? '') };
    } catch {
      return { baseUrl: '', functionKey: '' };
    }
  }

  function apiUrl(path) {
    return settings.baseUrl.trim().replace(/\/+$/, '') + path;
  }

  function apiFetch(path, init = {}) {
    const headers = new Headers(init.headers ?? {});
    if (settings.functionKey) {
      headers.set('x-functions-key', settings.functionKey);
    }
    if (accessToken) {
      headers.set('Authorization', `Bearer ${accessToken}`);
    }
    return fetch(apiUrl(path), { ...init, headers });
  }

  function postJson(path, body, accept = 'application/json') {
    return apiFetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: accept },
      body: JSON.stringify(body),
    });
  }

  /** The human text of an error answer: the Problem Details `detail`, or the status. */
  async function problemText(response) {
    try {
      const problem = await response.json();
      if (problem && typeof problem.detail === 'string') {
        return problem.detail;
      }
    } catch {
      // Not JSON: the status says enough.
    }
    return `The server answered ${response.status} ${response.statusText}.`.trim();
  }

  function networkText(error) {
    return `Cannot reach the API at ${settings.baseUrl || 'this server'} (${error.message}).`;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setStatus(node, text, bad = false) {
    node.textContent = text;
    node.classList.toggle('bad', bad);
  }

  const number = new Intl.NumberFormat();

  /** "1 chunk", "2 chunks". */
  function count(value, singular, plural = `${singular}s`) {
    return `${number.format(value)} ${value === 1 ? singular : plural}`;
  }

  // ---- Health -------------------------------------------------------------------------------------------------

  async function loadHealth() {
    const health = $('#health');
    try {
      const response = await apiFetch('/api/health', { headers: { Accept: 'application/json' } });
      const body = await response.json().catch(() => null);
      if (body && body.embeddingModel) {
        const where = settings.baseUrl || 'this server';
        setStatus(health, `${response.ok ? 'Connected to' : 'Unhealthy:'} ${where} · embeddings ${body.embeddingModel} · chat ${body.chatModel}`, !response.ok);
      } else {
        setStatus(health, `The API answered ${response.status}.`, true);
      }
    } catch (error) {
      setStatus(health, networkText(error), true);
    }
  }

  // ---- Asking -------------------------------------------------------------------------------------------------

  function addQuestion(text) {
    const item = element('li', 'turn question');
    const bubble = element('div', 'bubble');
    bubble.append(element('span', 'visually-hidden', 'You asked: '), element('p', 'question-text', text));
    item.append(bubble);
    $('#conversation').append(item);
  }

  function addAnswer() {
    const item = $('#answer-template').content.firstElementChild.cloneNode(true);
    item.dataset.turn = String(++turnCount);
    $('#conversation').append(item);
    return item;
  }

  /** Reads a `text/event-stream` body and calls onEvent(name, data) for each event. */
  async function readEvents(response, onEvent) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) name = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length > 0) onEvent(name, JSON.parse(data.join('\n')));
      }
    }
  }

  /** Shows the answer text with each [n] that has a citation as a link to its card. */
  function renderAnswerText(item, text, citations) {
    const target = $('.answer-text', item);
    const refs = new Map(citations.map((c) => [c.ref, c]));
    const parts = [];
    let last = 0;
    for (const match of text.matchAll(/\[(\d+)\]/g)) {
      const citation = refs.get(Number(match[1]));
      if (!citation) continue;
      parts.push(document.createTextNode(text.slice(last, match.index)));
      const link = element('a', 'ref', match[0]);
      link.href = `#${citationId(item, citation.ref)}`;
      link.setAttribute('aria-label', `Source ${citation.ref}: ${citation.source}, ${pages(citation)}`);
      parts.push(link);
      last = match.index + match[0].length;
    }
    parts.push(document.createTextNode(text.slice(last)));
    target.replaceChildren(...parts);
  }

  // "page 3", or "pages 3–4" for a passage that runs on across a page break.
  function pages(citation) {
    return citation.lastPage ? `pages ${citation.page}–${citation.lastPage}` : `page ${citation.page}`;
  }

  function citationId(item, ref) {
    return `source-${item.dataset.turn}-${ref}`;
  }

  function renderCitations(item, citations) {
    const cards = citations.map((citation) => {
      const card = element('li', 'citation');
      card.id = citationId(item, citation.ref);
      card.tabIndex = -1;
      const header = element('header');
      header.append(
        element('span', 'ref-number', `[${citation.ref}]`),
        element('span', 'source', citation.source),
        element('span', 'meta', `${pages(citation)} · similarity ${citation.similarity.toFixed(2)}`));
      // The headings the passage stands under, when its document has any ("Benefits > Vacation").
      if (citation.section) header.append(element('span', 'section', citation.section));
      const quote = element('blockquote', null, citation.text);
      // A long passage scrolls inside its card: focusable, so it can be scrolled from the keyboard too.
      quote.tabIndex = 0;
      quote.setAttribute('aria-label', `Passage [${citation.ref}] from ${citation.source}`);
      card.append(header, quote);
      return card;
    });
    $('.citations', item).replaceChildren(...cards);
  }

  function showAnswerError(item, text) {
    const error = $('.error', item);
    error.textContent = text;
    error.hidden = false;
    $('.answer-text', item).setAttribute('aria-busy', 'false');
  }

  function finishAnswer(item, question, answer) {
    renderCitations(item, answer.citations);
    renderAnswerText(item, answer.answer, answer.citations);
    $('.answer-text', item).setAttribute('aria-busy', 'false');
    $('.not-grounded', item).hidden = answer.grounded;
    item.classList.toggle('ungrounded', !answer.grounded);
    item.dataset.answerId = answer.answerId;
    $('.feedback', item).hidden = false;
    history.push({ role: 'user', content: question }, { role: 'assistant', content: answer.answer });
    history = history.slice(-maxHistoryTurns);
  }

  async function ask(question) {
    addQuestion(question);
    const item = addAnswer();
    item.scrollIntoView({ block: 'nearest' });
    const request = {
      question,
      history: history.map((turn) => ({ role: turn.role, content: turn.content.slice(0, maxHistoryTurnLength) })),
    };

    let response;
    try {
      response = await postJson('/api/ask', request, 'text/event-stream');
    } catch (error) {
      showAnswerError(item, networkText(error));
      return;
    }
    if (!response.ok) {
      showAnswerError(item, await problemText(response));
      return;
    }

    // A server that does not stream answers with the JSON body, which is the `done` event's data.
    if (!(response.headers.get('Content-Type') ?? '').startsWith('text/event-stream')) {
      finishAnswer(item, question, await response.json());
      return;
    }

    let citations = [];
    let text = '';
    let finished = false;
    try {
      await readEvents(response, (name, data) => {
        switch (name) {
          case 'citations':
            citations = data.citations;
            renderCitations(item, citations);
            break;
          case 'delta':
            text += data.text;
            renderAnswerText(item, text, citations);
            break;
          case 'done':
            finished = true;
            finishAnswer(item, question, data);
            break;
          case 'error':
            finished = true;
            showAnswerError(item, data.detail ?? 'The answer failed.');
            break;
          default:
            break;
        }
      });
    } catch (error) {
      showAnswerError(item, `The answer stopped: ${error.message}`);
      return;
    }
    if (!finished) {
      showAnswerError(item, 'The answer stopped before it was complete.');
    }
  }

  function setUpAskForm() {
    const form = $('#ask-form');
    const input = $('#question');
    const button = $('#ask-button');
    const status = $('#ask-status');

    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const question = input.value.trim();
      if (!question || button.disabled) {
        return;
      }
      $('#empty-state').hidden = true;
      input.value = '';
      button.disabled = true;
      $('#new-conversation').disabled = true;
      status.textContent = 'Answering…';
      try {
        await ask(question);
        status.textContent = 'The answer is complete.';
      } finally {
        button.disabled = false;
        $('#new-conversation').disabled = false;
        input.focus();
      }
    });

    $('#new-conversation').addEventListener('click', () => {
      history = [];
      $('#conversation').replaceChildren();
      $('#empty-state').hidden = false;
      input.focus();
    });

    // A [n] marker moves the focus to its card, so keyboard and screen reader users land on the source.
    $('#conversation').addEventListener('click', (event) => {
      const link = event.target.closest('a.ref');
      if (!link) return;
      const card = document.getElementById(link.hash.slice(1));
      if (!card) return;
      event.preventDefault();
      document.querySelectorAll('.citation.highlight').forEach((c) => c.classList.remove('highlight'));
      card.classList.add('highlight');
      card.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      card.focus({ preventScroll: true });
    });
  }

  // ---- Rating -------------------------------------------------------------------------------------------------

  async function rate(item, rating, correction, comment) {
    const status = $('.vote-status', item);
    const buttons = item.querySelectorAll('.vote button, .down-form button');
    buttons.forEach((b) => { b.disabled = true; });
    setStatus(status, 'Saving your rating…');
    try {
      const body = { answerId: item.dataset.answerId, rating };
      if (correction) body.correction = correction;
      if (comment) body.comment = comment;
      const response = await postJson('/api/feedback', body);
      if (!response.ok) {
        setStatus(status, `Not recorded: ${await problemText(response)}`, true);
        return false;
      }
      $('.vote-up', item).setAttribute('aria-pressed', String(rating === 'up'));
      $('.vote-down', item).setAttribute('aria-pressed', String(rating === 'down'));
      const extras = [correction && 'your better answer', comment && 'your comment'].filter(Boolean).join(' and ');
      setStatus(status, `Recorded: ${rating === 'up' ? 'helpful' : 'not helpful'}${extras ? `, with ${extras}` : ''}. You can change it.`);
      loadDatasets();
      return true;
    } catch (error) {
      setStatus(status, `Not recorded: ${networkText(error)}`, true);
      return false;
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  function setUpRating() {
    const conversation = $('#conversation');
    conversation.addEventListener('click', async (event) => {
      const button = event.target.closest('.vote button');
      if (!button) return;
      const item = button.closest('.answer');
      const form = $('.down-form', item);
      if (button.classList.contains('vote-up')) {
        if (await rate(item, 'up')) {
          form.hidden = true;
        }
      } else if (await rate(item, 'down')) {
        // The down vote counts at once; a better answer and a comment can follow (the later rating replaces it).
        form.hidden = false;
        $('textarea[name="correction"]', form).focus();
      }
    });
    conversation.addEventListener('submit', async (event) => {
      const form = event.target.closest('.down-form');
      if (!form) return;
      event.preventDefault();
      const item = form.closest('.answer');
      const correction = form.elements.correction.value.trim();
      const comment = form.elements.comment.value.trim();
      await rate(item, 'down', correction, comment);
    });
  }

  // ---- Datasets (ragtune serve only) --------------------------------------------------------------------------

  const datasetNames = { sft: 'SFT (supervised)', dpo: 'DPO (preference)' };

  function datasetRow(key, dataset, minTrainingExamples) {
    const row = element('tr');
    row.dataset.dataset = key;
    const ready = element('td', 'number');
    const total = element('span', 'ready', number.format(dataset.train + dataset.validation));
    total.id = `ready-${key}`;
    ready.append(total, element('span', 'split', `${number.format(dataset.train)} train · ${number.format(dataset.validation)} valid.`));
    const state = element('td');
    state.append(dataset.status === 'complete'
      ? element('span', 'badge ok', 'files ready')
      : element('span', 'badge wait', `${number.format(Math.max(0, minTrainingExamples - dataset.train))} more to train`));
    const name = element('th', null, datasetNames[key] ?? key);
    name.scope = 'row';
    row.append(name, ready, state);
    return row;
  }

  function countsTable(datasets, minTrainingExamples, caption) {
    const table = element('table', 'counts');
    table.append(element('caption', 'visually-hidden', caption), element('thead'), element('tbody'));
    const head = element('tr');
    for (const [text, className] of [['Dataset'], ['Examples', 'number'], ['Files']]) {
      const th = element('th', className, text);
      th.scope = 'col';
      head.append(th);
    }
    table.tHead.append(head);
    for (const key of ['sft', 'dpo']) {
      if (datasets[key]) table.tBodies[0].append(datasetRow(key, datasets[key], minTrainingExamples));
    }
    return table;
  }

  function reasons(excluded) {
    const entries = Object.entries(excluded.reasons);
    return entries.length === 0 ? 'none' : entries.map(([reason, count]) => `${reason.replaceAll('_', ' ')} ${number.format(count)}`).join(', ');
  }

  function renderLastExport(lastExport, newRatings) {
    const block = element('div', 'last-export');
    block.append(element('h3', null, 'Last export'));
    if (!lastExport) {
      block.append(element('p', 'hint', 'No export yet.'));
      return block;
    }
    const when = element('time', null, new Date(lastExport.createdAt).toLocaleString());
    when.dateTime = lastExport.createdAt;
    const line = element('p');
    line.id = 'last-export';
    const sft = lastExport.datasets.sft;
    const dpo = lastExport.datasets.dpo;
    line.append(
      when,
      document.createTextNode(` · ${lastExport.status} · SFT ${number.format(sft.train + sft.validation)}, DPO ${number.format(dpo.train + dpo.validation)} from ${count(lastExport.ratedAnswers, 'rated answer')} · `));
    const link = element('a', null, 'manifest.json');
    link.href = apiUrl(lastExport.manifestUrl);
    link.target = '_blank';
    link.rel = 'noopener';
    line.append(link);
    block.append(line, element('p', 'hint', newRatings ? 'New ratings since then: an export now writes a new one.' : 'Up to date: no rating since then.'));
    return block;
  }

  // "When should you fine-tune?": this deployment's own numbers, and the model answering now.
  function renderFineTuning(advice) {
    const block = element('div', 'fine-tuning');
    block.id = 'fine-tuning';
    block.append(element('h3', null, 'When should you fine-tune?'));
    if (!advice) return block;
    const active = element('p');
    active.id = 'active-model';
    active.append(document.createTextNode(`Answering now: ${advice.activeModel.model}${advice.activeModel.fineTuned ? ' (fine-tuned)' : ''}`));
    if (advice.activeModel.since) {
      const since = element('time', null, new Date(advice.activeModel.since).toLocaleString());
      since.dateTime = advice.activeModel.since;
      active.append(document.createTextNode(' since '), since);
    }
    const method = advice.method.toUpperCase();
    const lines = [
      `${method} training examples ready: ${number.format(advice.examplesReady)} of the ${number.format(advice.minTrainingExamples)} the provider needs at least.`,
      advice.recentRatings.rated === 0
        ? `No grounded answer rated in the last ${count(advice.recentRatings.days, 'day')}.`
        : `Grounded answers rated down in the last ${count(advice.recentRatings.days, 'day')}: ${number.format(advice.recentRatings.down)} of ${number.format(advice.recentRatings.rated)} (${Math.round(advice.recentRatings.downShare * 100)}%).`,
      advice.estimatedTrainingTokens == null
        ? 'Training tokens: none to train on yet.'
        : `Training would take about ${number.format(advice.estimatedTrainingTokens)} tokens${advice.estimatedCost == null ? '' : `, about ${advice.estimatedCost.toFixed(2)} at the configured price`}.`,
      advice.lastRun
        ? `Last tuning run: ${advice.lastRun.verdict ?? advice.lastRun.state} (${advice.lastRun.runId}).`
        : `No tuning run yet${advice.autoTune ? '; one starts on its own after the next export with enough examples.' : ' (ragtune tune starts one).'}`,
    ];
    block.append(active, ...lines.map((line) => element('p', 'hint', line)));
    return block;
  }

  async function loadDatasets() {
    const panel = $('#datasets');
    const exportButton = $('#export-now');
    panel.setAttribute('aria-busy', 'true');
    try {
      const response = await apiFetch('/api/datasets', { headers: { Accept: 'application/json' } });
      if (response.status === 404) {
        exportButton.hidden = true;
        panel.replaceChildren(element('p', 'hint',
          'This server has no dataset endpoints: in Azure the datasets are exported on the timer into the datasets container.'));
        return;
      }
      if (!response.ok) {
        panel.replaceChildren(element('p', 'status bad', await problemText(response)));
        return;
      }
      const body = await response.json();
      const summary = element('p');
      summary.id = 'rated-answers';
      summary.textContent = `${count(body.ratedAnswers, 'rated answer')}. Ready for an export now:`;
      const note = element('p', 'hint',
        `A dataset needs ${count(body.minTrainingExamples, 'training example')} for files. Left out: ${reasons(body.excluded)}.`);
      panel.replaceChildren(summary, countsTable(body.ready, body.minTrainingExamples, 'Examples ready per dataset'), note,
        renderLastExport(body.lastExport, body.newRatingsSinceLastExport), renderFineTuning(body.fineTuning));
      exportButton.hidden = false;
    } catch (error) {
      panel.replaceChildren(element('p', 'status bad', networkText(error)));
    } finally {
      panel.setAttribute('aria-busy', 'false');
    }
  }

  async function exportNow() {
    const button = $('#export-now');
    const status = $('#export-status');
    button.disabled = true;
    setStatus(status, 'Exporting…');
    try {
      // A JSON body, so that no other site's page can send this without a CORS preflight.
      const response = await postJson('/api/datasets/export', {});
      if (!response.ok) {
        setStatus(status, await problemText(response), true);
        return;
      }
      const result = await response.json();
      const messages = {
        exported: `Exported ${result.export?.name} (${result.export?.status}).`,
        upToDate: 'Up to date: no rating since the last export, nothing written.',
        nothingRated: 'Nothing to export: no answer has been rated yet.',
      };
      setStatus(status, messages[result.outcome] ?? result.outcome);
      await loadDatasets();
    } catch (error) {
      setStatus(status, networkText(error), true);
    } finally {
      button.disabled = false;
    }
  }

  // ---- Documents ----------------------------------------------------------------------------------------------

  async function loadDocuments() {
    const panel = $('#documents');
    panel.setAttribute('aria-busy', 'true');
    try {
      const response = await apiFetch('/api/documents', { headers: { Accept: 'application/json' } });
      if (!response.ok) {
        panel.replaceChildren(element('p', 'status bad', await problemText(response)));
        return;
      }
      const { documents } = await response.json();
      const failed = documents.filter((d) => d.status === 'failed').length;
      const summary = element('p', 'hint',
        `${count(documents.length, 'document')}: ${number.format(documents.length - failed)} indexed, ${number.format(failed)} failed.`);
      const list = element('ul', 'documents');
      for (const document of documents) {
        const item = element('li');
        item.append(element('span', 'source', document.source));
        item.append(document.status === 'failed'
          ? element('span', 'badge bad', 'failed')
          : element('span', 'meta', count(document.chunks, 'chunk')));
        if (document.error) {
          item.append(element('span', 'reason', document.error));
        }
        list.append(item);
      }
      panel.replaceChildren(summary, list);
    } catch (error) {
      panel.replaceChildren(element('p', 'status bad', networkText(error)));
    } finally {
      panel.setAttribute('aria-busy', 'false');
    }
  }

  // ---- Settings -----------------------------------------------------------------------------------------------

  function setUpSettings() {
    const form = $('#settings-form');
    form.elements.baseUrl.value = settings.baseUrl;
    form.elements.functionKey.value = settings.functionKey;
    form.elements.accessToken.value = accessToken;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      settings.baseUrl = form.elements.baseUrl.value.trim();
      settings.functionKey = form.elements.functionKey.value.trim();
      localStorage.setItem(settingsKey, JSON.stringify(settings));
      accessToken = form.elements.accessToken.value.trim().replace(/^Bearer\s+/i, '');
      if (accessToken) {
        sessionStorage.setItem(tokenKey, accessToken);
      } else {
        sessionStorage.removeItem(tokenKey);
      }
      refreshAll();
    });
  }

  function refreshAll() {
    loadHealth();
    loadDocuments();
    loadDatasets();
  }

  // The skip link puts the caret in the question box (a fragment link alone only scrolls there).
  $('.skip').addEventListener('click', (event) => {
    event.preventDefault();
    $('#question').focus();
  });

  setUpSettings();
  setUpAskForm();
  setUpRating();
  $('#documents-refresh').addEventListener('click', loadDocuments);
  $('#datasets-refresh').addEventListener('click', loadDatasets);
  $('#export-now').addEventListener('click', exportNow);
  refreshAll();
})();
