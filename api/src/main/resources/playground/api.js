// The playground's client of the v1 API (same origin, relative URLs, so a path prefix in front of the
// API still works): submit a job, follow it live through GET /jobs/{id}/events (Server-Sent Events,
// read with fetch so the Authorization header can be sent), and fall back to long-polling
// GET /jobs/{id}?wait=S when the events route is missing (404/405) or the stream breaks for good.
(function (global) {
  'use strict';
  var KEY_STORAGE = 'codeexec.apiKey';
  var LONG_POLL_SECONDS = 25;
  var STREAM_RECONNECTS = 3;

  function apiKey() {
    try { return localStorage.getItem(KEY_STORAGE) || ''; } catch (e) { return ''; }
  }

  function setApiKey(key) {
    try {
      if (key) localStorage.setItem(KEY_STORAGE, key); else localStorage.removeItem(KEY_STORAGE);
    } catch (e) { /* storage disabled: the key lasts for this page only */ }
    memoryKey = key;
  }
  var memoryKey = apiKey();

  function headers(extra) {
    var h = { 'Accept': 'application/json' };
    if (memoryKey) h['Authorization'] = 'Bearer ' + memoryKey;
    for (var name in extra || {}) h[name] = extra[name];
    return h;
  }

  /** An Error carrying the API's {"error": {code, message, field}} and the HTTP status. */
  function ApiFailure(status, code, message, field) {
    var e = new Error(message);
    e.status = status; e.code = code; e.field = field;
    return e;
  }

  async function failure(response) {
    var body = null;
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    var err = body && body.error;
    if (err) return ApiFailure(response.status, err.code, err.message, err.field);
    var message = body && body.message ? body.message : 'HTTP ' + response.status;
    return ApiFailure(response.status, 'http_' + response.status, message, null);
  }

  async function call(method, path, body, signal) {
    var init = { method: method, headers: headers(body ? { 'Content-Type': 'application/json' } : {}), signal: signal };
    if (body) init.body = JSON.stringify(body);
    var response = await fetch(path, init);
    if (!response.ok && response.status !== 202) throw await failure(response);
    return response.json();
  }

  function languages() { return call('GET', 'languages'); }

  function submit(program) {
    var body = { language: program.language, code: program.code };
    if (program.stdin) body.stdin = program.stdin;
    return call('POST', 'jobs', body);
  }

  function cancel(id) { return call('DELETE', 'jobs/' + encodeURIComponent(id)); }

  function isFinal(job) { return job && (job.status === 'completed' || job.status === 'cancelled'); }

  /**
   * Follows job id until it is final; on(event, data) receives 'status', 'compile', 'stdout', 'stderr',
   * 'test' and finally 'result' (the job document). Resolves with the job document.
   */
  async function follow(id, on, signal) {
    var outcome = await stream(id, on, signal);
    if (outcome.job) return outcome.job;
    var job = await poll(id, on, signal);
    on('result', job);
    return job;
  }

  /** Reads the events stream; {job} when its 'result' arrived, {} when polling must take over. */
  async function stream(id, on, signal) {
    var lastEventId = null;
    for (var attempt = 0; attempt <= STREAM_RECONNECTS; attempt++) {
      var extra = { 'Accept': 'text/event-stream' };
      if (lastEventId) extra['Last-Event-ID'] = lastEventId;
      var response;
      try {
        response = await fetch('jobs/' + encodeURIComponent(id) + '/events', { headers: headers(extra), signal: signal });
      } catch (e) {
        if (signal && signal.aborted) throw e;
        continue;
      }
      if (response.status === 404 || response.status === 405) return {};  // no events route (yet)
      if (!response.ok) throw await failure(response);
      if ((response.headers.get('Content-Type') || '').indexOf('text/event-stream') !== 0 || !response.body) return {};
      var result = null;
      try {
        await readEvents(response.body, function (event) {
          if (event.id) lastEventId = event.id;
          var data;
          try { data = JSON.parse(event.data); } catch (e) { return; }
          if (event.type === 'result') result = data;
          on(event.type, data);
        });
      } catch (e) {
        if (signal && signal.aborted) throw e;
      }
      if (result) return { job: result };
    }
    return {};
  }

  /** Parses a text/event-stream body, calling dispatch({type, data, id}) per event. */
  async function readEvents(body, dispatch) {
    var reader = body.getReader();
    var decoder = new TextDecoder('utf-8');
    var buffer = '';
    var event = { type: 'message', data: [], id: null };
    for (;;) {
      var chunk = await reader.read();
      buffer += chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      var lines = buffer.split(/\r\n|\r|\n/);
      buffer = chunk.done ? '' : lines.pop();
      for (var i = 0; i < lines.length; i++) {
        var line = lines[i];
        if (line === '') {
          if (event.data.length) dispatch({ type: event.type, data: event.data.join('\n'), id: event.id });
          event = { type: 'message', data: [], id: null };
          continue;
        }
        if (line.charAt(0) === ':') continue;
        var colon = line.indexOf(':');
        var field = colon < 0 ? line : line.slice(0, colon);
        var value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.type = value;
        else if (field === 'data') event.data.push(value);
        else if (field === 'id') event.id = value;
      }
      if (chunk.done) return;
    }
  }

  /** Long-polls the job document until it is final, reporting status changes. */
  async function poll(id, on, signal) {
    var wait = LONG_POLL_SECONDS;
    var seen = null;
    for (;;) {
      var response = await fetch('jobs/' + encodeURIComponent(id) + '?wait=' + wait, { headers: headers(), signal: signal });
      if (response.status === 400 && wait > 1) { wait = 1; continue; }  // a server with MAX_WAIT_SECONDS < 25
      if (!response.ok && response.status !== 202) throw await failure(response);
      var job = await response.json();
      if (job.status && job.status !== seen) { seen = job.status; on('status', { status: job.status }); }
      if (isFinal(job)) return job;
    }
  }

  global.PlaygroundApi = {
    apiKey: apiKey, setApiKey: setApiKey, languages: languages, submit: submit, cancel: cancel, follow: follow
  };
})(window);
