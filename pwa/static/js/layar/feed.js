// The waiting-room screen's live feed (backend/api/flow/display.py): Server-Sent Events read
// with fetch(), because the screen's token must travel in a header (X-Display-Token), never in
// a URL the server logs, and EventSource cannot send headers. It behaves as EventSource does:
// honours `retry:`, remembers the last `id:` and sends it back as Last-Event-ID when it
// reconnects, so the server replays exactly the calls missed during a blip.

const FEED = '/api/v1/flow/displays/feed';
const SILENCE_MS = 40000;   // the server sends a comment every 15 s; silence longer = dead link
const MAX_BACKOFF_MS = 10000;

/** Splits `text` (what arrived so far) into complete SSE blocks: {events, retry, rest}. Each
 * event is {event, id, data} (data still text); comment lines (":") are skipped. */
export function parseSse(text) {
  const events = [];
  let retry = null;
  const blocks = text.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop();
  for (const block of blocks) {
    let event = 'message';
    let id = null;
    const data = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
    }
    if (data.length) events.push({ event, id, data: data.join('\n') });
  }
  return { events, retry, rest };
}

/** Keeps one screen connected. `onEvent(kind, data)` gets `state`, `call` and `removed`;
 * `onStatus(status)` gets 'live', 'reconnecting' or 'removed' (the token opens nothing). */
export function connectFeed(token, { onEvent, onStatus }) {
  let lastId = null;
  let retryMs = 1000;
  let failures = 0;
  let stopped = false;
  let controller = null;
  let timer = null;
  let running = false;

  const later = (ms) => { timer = setTimeout(run, ms); };

  async function run() {
    if (stopped || running) return;
    running = true;
    try {
      await once();
    } finally {
      running = false;
    }
  }

  async function once() {
    controller = new AbortController();
    const headers = { 'X-Display-Token': token, Accept: 'text/event-stream' };
    if (lastId !== null) headers['Last-Event-ID'] = lastId;
    let response;
    try {
      response = await fetch(FEED, { headers, credentials: 'omit', cache: 'no-store', signal: controller.signal });
    } catch {
      return failed();
    }
    if (response.status === 404) {
      stopped = true;
      onStatus('removed');
      return undefined;
    }
    if (!response.ok || !response.body) {
      const wait = Number(response.headers.get('Retry-After'));
      return failed(Number.isFinite(wait) && wait > 0 ? wait * 1000 : null);
    }
    failures = 0;
    onStatus('live');
    let silence = setTimeout(() => controller.abort(), SILENCE_MS);
    let buffer = '';
    let removed = false;
    try {
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        clearTimeout(silence);
        silence = setTimeout(() => controller.abort(), SILENCE_MS);
        const parsed = parseSse(buffer + value);
        buffer = parsed.rest;
        if (parsed.retry !== null) retryMs = parsed.retry;
        for (const item of parsed.events) {
          // Ids only grow, but two desks' calls may arrive out of order: keep the highest.
          if (item.id !== null && (lastId === null || Number(item.id) > Number(lastId))) lastId = item.id;
          if (item.event === 'removed') removed = true;
          onEvent(item.event, JSON.parse(item.data));
        }
      }
    } catch {
      clearTimeout(silence);
      return failed();
    }
    clearTimeout(silence);
    if (removed) {
      stopped = true;
      onStatus('removed');
      return undefined;
    }
    // The stream's lifetime ended (or a new day began): straight back, no "reconnecting".
    later(0);
    return undefined;
  }

  function failed(waitMs = null) {
    failures += 1;
    onStatus('reconnecting');
    later(waitMs ?? Math.min(retryMs * 2 ** Math.min(failures - 1, 4), MAX_BACKOFF_MS));
  }

  // A network that comes back: try at once rather than at the end of the back-off.
  window.addEventListener('online', () => {
    if (failures && !running) { clearTimeout(timer); run(); }
  });
  run();
  return { stop() { stopped = true; clearTimeout(timer); controller?.abort(); } };
}
