// Every call the dashboard makes goes through the API's own routes, authorized by the session
// cookie (the browser sends it; scripts never see it). Changes carry the session's CSRF token.

let session = null;

/** Raised for an API refusal: its HTTP status and the API's own message. */
export class ApiFailure extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

function signInAgain() {
  location.assign('/dashboard/signin');
  return new ApiFailure(401, 'signed out');
}

/** Who is signed in: {name, admin, csrf}. */
export async function currentSession() {
  if (session) return session;
  const r = await fetch('/dashboard/session', { headers: { Accept: 'application/json' } });
  if (r.status === 401) throw signInAgain();
  if (!r.ok) throw new ApiFailure(r.status, 'could not read the session (HTTP ' + r.status + ')');
  session = await r.json();
  return session;
}

/**
 * A call to /api/v1: the parsed JSON reply, or the Response itself when raw is set. body is sent as
 * JSON; file (a File or Blob) as it is, for uploads.
 */
export async function api(path, { method = 'GET', body, file, raw = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-Cyphon-CSRF'] = (await currentSession()).csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (file !== undefined) headers['Content-Type'] = 'application/octet-stream';
  const r = await fetch('/api/v1' + path, {
    method,
    headers,
    body: file !== undefined ? file : body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status === 401) throw signInAgain();
  if (!r.ok) {
    let message = 'HTTP ' + r.status;
    let field = null;
    try {
      const e = await r.json();
      message = e.error || message;
      field = e.field || null;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiFailure(r.status, message, field);
  }
  return raw ? r : r.json();
}

/** Calls fn now and again every periodMs after each call ends (never two at once). */
export function every(periodMs, fn) {
  let timer = null;
  let stopped = false;
  const run = async () => {
    try {
      await fn();
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 401) return;
      console.error(e);
    }
    if (!stopped) timer = setTimeout(run, periodMs);
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
