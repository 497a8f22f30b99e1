/* exported startLivechatPage */
/*
 * The chat entry page's script. The service serves it as `startLivechatPage(settings)` inside one closure,
 * with settings derived at start from the domain's profile rules (see chatPageAssets.ts), so no rule is
 * written twice. Everything from cookies or the server reaches the page through `value` and `textContent`
 * only: never as HTML.
 */
function startLivechatPage(settings) {
  'use strict';

  const SESSION_STORAGE_KEY = 'livechat.session';
  const form = document.getElementById('livechat-form');
  const statusBox = document.getElementById('form-status');
  const submitButton = form.querySelector('button[type="submit"]');
  const connectedPanel = document.getElementById('connected');
  const newSessionButton = document.getElementById('new-session');
  const leaveStatus = document.getElementById('leave-status');
  const retryWait = document.getElementById('retry-wait');
  const captchaField = document.getElementById('captcha-field');
  const intro = document.getElementById('intro');
  const errorKeys = [...settings.fields, 'captchaToken'];
  const foldedPunctuation = new RegExp(settings.foldedPunctuation, 'gu');
  const spaceRun = new RegExp(settings.spaceRun, 'gu');
  const markRun = new RegExp(settings.markRun, 'u');
  const checks = Object.fromEntries(
    settings.fields.map((field) => [
      field,
      { allowed: new RegExp(settings.rules[field].allowed, 'u'), required: new RegExp(settings.rules[field].required, 'u') },
    ]),
  );
  let captchaWidget = null;
  let captchaFailedToLoad = false;

  const input = (field) => form.elements.namedItem(field);

  // The same normalization the server applies before it validates.
  const normalize = (value) =>
    value
      .normalize('NFC')
      .replace(foldedPunctuation, (mark) => settings.punctuationFolds[mark])
      .replace(spaceRun, ' ')
      .trim();

  /** The codes the server would refuse the value with, in its order (the domain's checkField): none when valid. */
  const problemsOf = (field, value) => {
    if (value === '') return ['required'];
    const rule = settings.rules[field];
    const problems = [];
    const length = [...value].length;
    if (length < rule.minLength) problems.push('too_short');
    if (length > rule.maxLength) problems.push('too_long');
    if (!checks[field].allowed.test(value)) problems.push('invalid_characters');
    else if (!checks[field].required.test(value)) problems.push('needs_letter');
    if (markRun.test(value)) problems.push('too_many_marks');
    return problems;
  };

  /** The normalized value when it passes the field's rule, else null. */
  const validValue = (field, raw) => {
    const value = normalize(raw);
    return problemsOf(field, value).length === 0 ? value : null;
  };

  // A missing or mis-sized value is one in every browser. Which characters are letters or marks depends on the
  // browser's Unicode tables, which may be older than the server's (an older Safari does not know letters added in
  // Unicode 16): a value refused for its characters goes to the server, which decides, unless the characters that
  // decide are ones every version classifies alike (ASCII, emoji).
  const SURE_EVERYWHERE = new Set(['required', 'too_short', 'too_long']);
  const stableCharacter = new RegExp(settings.stableCharacter, 'u');
  const isStable = (character) => stableCharacter.test(character);

  /** Whether every browser, whatever its Unicode tables, finds this problem with the value. */
  const isSure = (field, value, code) => {
    const characters = [...value];
    // A character the rule refuses: a stable one is refused by the server's tables too.
    if (code === 'invalid_characters') return characters.some((character) => isStable(character) && !checks[field].allowed.test(character));
    // No letter (or digit) among characters that are all stable: none among them in the server's tables either.
    if (code === 'needs_letter') return characters.every(isStable);
    return SURE_EVERYWHERE.has(code);
  };

  /**
   * The server's messages for every field it would refuse, as a 422 would carry them; none (send it) unless one of
   * them is sure in any browser.
   */
  const localErrors = () => {
    const errors = {};
    let sure = false;
    for (const field of settings.fields) {
      const value = normalize(input(field).value);
      const problems = problemsOf(field, value);
      if (problems.length > 0) errors[field] = problems.map((code) => settings.messages[field][code]);
      sure ||= problems.some((code) => isSure(field, value, code));
    }
    return sure ? errors : {};
  };

  const readCookie = (name) => {
    for (const pair of document.cookie.split(';')) {
      const at = pair.indexOf('=');
      if (at < 0 || pair.slice(0, at).trim() !== name) continue;
      try {
        return decodeURIComponent(pair.slice(at + 1).trim());
      } catch {
        return null; // Not valid URL encoding: tampered, so dropped.
      }
    }
    return null;
  };

  // Scenario 2: a returning listener finds the form filled in. Cookies are untrusted input: a value that
  // fails the rules is dropped, and a field the listener (or the browser's autofill) already filled is kept.
  const prefill = () => {
    for (const field of settings.fields) {
      const raw = readCookie(settings.cookies[field]);
      const value = raw === null ? null : validValue(field, raw);
      if (value !== null && input(field).value === '') input(field).value = value;
    }
  };

  const showStatus = (message, isError) => {
    statusBox.textContent = message;
    statusBox.classList.toggle('status-error', isError);
  };

  const isField = (key) => settings.fields.includes(key);

  /** Where an error belongs: the field's input, or the captcha's group (which has no aria-invalid in ARIA). */
  const controlOf = (key) => (isField(key) ? input(key) : captchaField);

  const setFieldError = (key, messages) => {
    const slot = document.getElementById(`${key}-error`);
    const control = controlOf(key);
    const describedBy = control.getAttribute('aria-describedby')?.split(' ').filter((id) => id !== '' && id !== slot.id) ?? [];
    const invalid = messages.length > 0;
    slot.textContent = messages.join(' ');
    slot.hidden = !invalid;
    if (isField(key)) {
      if (invalid) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
    // The error first: a screen reader reads the description in this order, and the error is what changed.
    const ids = invalid ? [slot.id, ...describedBy] : describedBy;
    if (ids.length > 0) control.setAttribute('aria-describedby', ids.join(' '));
    else control.removeAttribute('aria-describedby');
  };

  const clearErrors = () => {
    for (const key of errorKeys) setFieldError(key, []);
    showStatus('', false);
  };

  const messagesOf = (value) => (Array.isArray(value) ? value.filter((message) => typeof message === 'string') : []);

  /** The server's own message for the request as a whole, when it sent one. */
  const bodyMessage = (payload) => messagesOf(payload?.errors?.body).join(' ') || null;

  /**
   * Shows each error beside its control and moves focus to the first. The status (a live region) names the captcha's
   * problem itself when nothing else is wrong: "check the highlighted fields" would point at nothing highlighted.
   */
  const showFieldErrors = (errors) => {
    const failing = errorKeys.filter((key) => messagesOf(errors[key]).length > 0);
    for (const key of failing) setFieldError(key, messagesOf(errors[key]));
    const onlyCaptcha = failing.length > 0 && failing.every((key) => !isField(key));
    const summary = onlyCaptcha ? failing.map((key) => messagesOf(errors[key]).join(' ')).join(' ') : settings.text.fixErrors;
    showStatus(bodyMessage({ errors }) ?? summary, true);
    if (failing.length > 0) controlOf(failing[0]).focus();
  };

  // In words, "13 detik", "1 second", "2 seconds": a screen reader reads "13 s" as the letter s.
  const seconds = new Intl.NumberFormat(settings.locale, { style: 'unit', unit: 'second', unitDisplay: 'long' });
  const withDuration = (text, count) => text.replace('{duration}', seconds.format(count));

  // An HTTP date as RFC 9110 has senders write it: Date.parse alone would take almost anything ("42.5" is 2042).
  const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

  /** Whole seconds the answer asks the page to wait (Retry-After: seconds or an HTTP date), or null. */
  const retryAfterOf = (response) => {
    const header = response.headers.get('Retry-After')?.trim() ?? '';
    let milliseconds = Number.NaN;
    if (/^\d+$/.test(header)) milliseconds = Number(header) * 1000;
    else if (HTTP_DATE.test(header)) milliseconds = Date.parse(header) - Date.now();
    return milliseconds > 0 ? Math.ceil(milliseconds / 1000) : null;
  };

  /** The page's own message for a failed answer, shown when the server sent none (a proxy's error page). */
  const failureText = (status) => {
    if (status === 429) return settings.text.rateLimited;
    return status >= 500 ? settings.text.unavailable : settings.text.unexpected;
  };

  /**
   * Marks a button unusable without `disabled`: the browser moves focus off a disabled button to <body>, and a
   * keyboard or screen reader user would start over from the top of the page after every failure.
   */
  const setUnusable = (button, value) => {
    if (value) button.setAttribute('aria-disabled', 'true');
    else button.removeAttribute('aria-disabled');
  };
  const isUnusable = (button) => button.getAttribute('aria-disabled') === 'true';

  // The unusable button is also the guard against a second submission while one is on its way. No aria-busy on the
  // form: it holds the status, and a busy subtree's live region may go unannounced.
  const setBusy = (value) => {
    setUnusable(submitButton, value);
    submitButton.classList.toggle('busy', value);
  };

  // Storage can be disabled (and what it holds can be anything): the chat connection then has the token from
  // the event only, and a reload asks again.
  const withStorage = (use) => {
    try {
      return use(sessionStorage);
    } catch {
      return null;
    }
  };

  /** The session as kept and announced: only these fields, whatever the source carried. */
  const sessionOf = (source, name) => ({
    sessionToken: source.sessionToken,
    sessionId: source.sessionId,
    expiresAt: source.expiresAt,
    name,
  });

  // A chat client's script comes after this one in the page, both deferred: it has run, and listens, only once the
  // document fires DOMContentLoaded. An announcement before then (a resumed session, or one started while that
  // script is still downloading) waits for it, rather than go unheard.
  let laterScriptsHaveRun = false;
  document.addEventListener('DOMContentLoaded', () => (laterScriptsHaveRun = true), { once: true });
  const announce = (type, detail) => {
    const dispatch = () => document.dispatchEvent(new CustomEvent(type, { detail }));
    if (laterScriptsHaveRun) dispatch();
    else document.addEventListener('DOMContentLoaded', dispatch, { once: true });
  };

  const showLeaveStatus = (message, isError) => {
    leaveStatus.textContent = message;
    leaveStatus.classList.toggle('status-error', isError);
  };

  /**
   * Announces the session to the chat client, which takes its token from sessionStorage or the event, and from the
   * event where its server is (settings, not the session: it is not kept with it).
   */
  const showConnected = (session) => {
    document.getElementById('connected-name').textContent = session.name;
    showLeaveStatus('', false);
    // The intro asks the listener to fill in the form: it goes with the form.
    intro.hidden = true;
    form.hidden = true;
    connectedPanel.hidden = false;
    connectedPanel.focus();
    announce('livechat:connected', { ...session, websocketUrl: settings.websocketUrl });
  };

  const connect = (payload, name) => {
    const session = sessionOf(payload, name);
    // Per tab, gone when the tab closes; never localStorage or a cookie, which outlive the session's purpose.
    withStorage((storage) => storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session)));
    showConnected(session);
  };

  const forgetSession = () => withStorage((storage) => storage.removeItem(SESSION_STORAGE_KEY));

  /** The listener the profile cookies name: gone once "Not you?" has been answered, in this tab or another. */
  const cookieName = () => {
    const raw = readCookie(settings.cookies.name);
    return raw === null ? null : validValue('name', raw);
  };

  /**
   * A reload in the same tab keeps the listener in the chat with the session already started, instead of
   * starting another. What the tab kept is checked like any input: an expired or malformed one is dropped, and so
   * is one whose listener the cookies no longer name. A tab opened from this one starts with a copy of its
   * sessionStorage, and "Not you?" in another tab may never have reached it (see listenForForgetting).
   */
  const resumeSession = () => {
    const session = withStorage((storage) => JSON.parse(storage.getItem(SESSION_STORAGE_KEY) ?? 'null'));
    const name = typeof session?.name === 'string' ? validValue('name', session.name) : null;
    const expiresAt = typeof session?.expiresAt === 'string' ? Date.parse(session.expiresAt) : NaN;
    if (typeof session?.sessionToken !== 'string' || name === null || !(expiresAt > Date.now()) || cookieName() !== name) {
      forgetSession();
      return;
    }
    showConnected(sessionOf(session, name));
  };

  /**
   * fetch, and `read` of its answer, given up (rejected) after settings.requestTimeoutMs: a stalled connection would
   * otherwise leave the page busy for good. A timer of the page's own rather than AbortSignal.timeout, so that it
   * follows the page's clock (which tests move instead of waiting).
   */
  const fetchWithin = async (url, options, read) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), settings.requestTimeoutMs);
    try {
      const response = await fetch(url, { ...options, signal: controller.signal });
      return await read(response, controller.signal);
    } finally {
      clearTimeout(timer);
    }
  };

  /** Whether the server expired the guest and profile cookies: the guest's is HttpOnly, out of this script's reach. */
  const forgetListener = async () => {
    try {
      const options = {
        method: 'DELETE',
        // Not 'omit': the browser would then ignore the answer's Set-Cookie, and the cookies would stay.
        credentials: 'same-origin',
        cache: 'no-store',
      };
      return await fetchWithin(settings.forgetEndpoint, options, (response) => response.status === 204);
    } catch {
      return false;
    }
  };

  /** The token, the form and the captcha cleared: the next person starts blank. */
  const showForgotten = (takeFocus) => {
    const wasConnected = !connectedPanel.hidden;
    forgetSession();
    for (const field of settings.fields) input(field).value = '';
    clearErrors();
    resetCaptcha();
    if (wasConnected) announce('livechat:disconnected', null);
    connectedPanel.hidden = true;
    intro.hidden = false;
    form.hidden = false;
    if (takeFocus) input(settings.fields[0]).focus();
  };

  // Every tab of this browser holds the listener that "Not you?" forgets: a tab opened from another even has a copy
  // of its session. Closed or older tabs may miss the message: resumeSession checks the cookies for them.
  const FORGOTTEN = 'livechat:forgotten';
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('livechat') : null;
  const listenForForgetting = () => {
    channel?.addEventListener('message', (event) => {
      // Focus is moved only off the panel that goes: not out of a field someone is typing into.
      if (event.data === FORGOTTEN) showForgotten(connectedPanel.contains(document.activeElement));
    });
  };

  // "Not you?": the shared family tablet. The browser must forget this listener before the next person starts:
  // with the old guest cookie, their session would carry this listener's userId. Only once the server has expired
  // the cookies are the token, the form and the captcha cleared, here and in the other tabs; if it has not, the
  // listener is told and stays.
  const leaveSession = async () => {
    setUnusable(newSessionButton, true);
    // As submitting says "connecting": the answer may take up to the request timeout.
    showLeaveStatus(settings.text.leaving, false);
    const forgotten = await forgetListener();
    setUnusable(newSessionButton, false);
    if (!forgotten) {
      showLeaveStatus(settings.text.leaveFailed, true);
      return;
    }
    showLeaveStatus('', false);
    showForgotten(true);
    channel?.postMessage(FORGOTTEN);
  };

  // Said while the widget was not there: once it is, the listener would be told to wait for, or reload the page
  // for, what is in front of them.
  const withdrawCaptchaNotice = () => {
    const notices = [settings.text.captchaLoading, settings.text.captchaUnavailable];
    if (notices.includes(document.getElementById('captchaToken-error').textContent)) setFieldError('captchaToken', []);
    if (notices.includes(statusBox.textContent)) showStatus('', false);
  };

  const loadCaptcha = () => {
    if (settings.captchaSitekey === null) return;
    captchaField.hidden = false;
    // Without this the listener would be asked, on submitting, to complete a captcha that is not there.
    const failed = () => {
      if (captchaWidget !== null) return;
      captchaFailedToLoad = true;
      setFieldError('captchaToken', [settings.text.captchaUnavailable]);
    };
    const callback = 'livechatCaptchaLoaded';
    window[callback] = () => {
      try {
        captchaWidget = window.hcaptcha.render('captcha-widget', { sitekey: settings.captchaSitekey });
      } catch {
        // A widget hCaptcha refuses to draw is as missing as a script that never came; waiting would not bring it.
        failed();
        return;
      }
      // Given up on, yet here after all: a usable widget is better than a reload over the same slow connection.
      captchaFailedToLoad = false;
      withdrawCaptchaNotice();
    };
    const script = document.createElement('script');
    script.src = `${settings.captchaScript}?render=explicit&recaptchacompat=off&onload=${callback}&hl=${settings.locale}`;
    script.async = true;
    script.addEventListener('error', failed);
    // A stalled script fires no error until the browser gives up on it. The page's own timer, so that tests move
    // the page's clock instead of waiting.
    setTimeout(failed, settings.captchaLoadTimeoutMs);
    document.head.append(script);
  };

  const captchaToken = () => (captchaWidget === null ? '' : window.hcaptcha.getResponse(captchaWidget));

  // Sent while hCaptcha's script is still on its way, the form has no token yet: it could only get the server's
  // "complete the captcha", at the cost of a try of the rate limit.
  const captchaLoading = () => settings.captchaSitekey !== null && captchaWidget === null && !captchaFailedToLoad;

  const captchaUnsolved = () => captchaWidget !== null && captchaToken().trim() === '';

  // A solved captcha is spent by any verification attempt: the listener gets a fresh one after a failure.
  const resetCaptcha = () => {
    if (captchaWidget !== null) window.hcaptcha.reset(captchaWidget);
  };

  /**
   * After a 429 the button stays unusable until retrying makes sense. The countdown beside it is no live region: the
   * status says once to wait for the button, the button's description holds the time left, and the status speaks
   * again only when the wait is over.
   */
  const waitBeforeRetry = (seconds) => {
    const until = Date.now() + seconds * 1000;
    setUnusable(submitButton, true);
    submitButton.setAttribute('aria-describedby', retryWait.id);
    retryWait.hidden = false;
    const tick = () => {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left > 0) {
        retryWait.textContent = withDuration(settings.text.retryIn, left);
        setTimeout(tick, Math.min(1000, until - Date.now()));
        return;
      }
      retryWait.textContent = '';
      retryWait.hidden = true;
      submitButton.removeAttribute('aria-describedby');
      setUnusable(submitButton, false);
      showStatus(settings.text.retryNow, false);
    };
    tick();
  };

  const submit = async () => {
    clearErrors();
    // What the server could only refuse is not sent: each request counts against the rate limit.
    const errors = localErrors();
    if (captchaFailedToLoad) errors.captchaToken = [settings.text.captchaUnavailable];
    else if (captchaLoading()) errors.captchaToken = [settings.text.captchaLoading];
    else if (captchaUnsolved()) errors.captchaToken = [settings.captchaRequired];
    if (Object.keys(errors).length > 0) {
      showFieldErrors(errors);
      return;
    }
    const body = Object.fromEntries(settings.fields.map((field) => [field, input(field).value]));
    if (settings.captchaSitekey !== null) body.captchaToken = captchaToken();
    setBusy(true);
    showStatus(settings.text.sending, false);

    let response;
    let payload;
    try {
      const options = {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': settings.locale },
        body: JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      };
      [response, payload] = await fetchWithin(settings.endpoint, options, async (answer, signal) => [
        answer,
        // A proxy's error page is not JSON: the status alone then decides the message. A body that stalls is a
        // network failure like a stalled answer.
        await answer.json().catch((error) => {
          if (signal.aborted) throw error;
          return null;
        }),
      ]);
    } catch {
      resetCaptcha();
      showStatus(settings.text.network, true);
      return;
    } finally {
      setBusy(false);
    }

    if (response.status === 201 && typeof payload?.sessionToken === 'string') {
      showStatus('', false);
      connect(payload, normalize(body.name));
      return;
    }
    resetCaptcha();
    if (response.status === 422 && typeof payload?.errors === 'object' && payload.errors !== null) {
      showFieldErrors(payload.errors);
    } else {
      const retryAfter = response.status === 429 ? retryAfterOf(response) : null;
      if (retryAfter === null) {
        showStatus(bodyMessage(payload) ?? failureText(response.status), true);
        return;
      }
      // Not the server's message: the time in it is the one of its answer, and the countdown's falls from there.
      showStatus(settings.text.rateLimitedWait, true);
      waitBeforeRetry(retryAfter);
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!isUnusable(submitButton)) void submit();
  });

  newSessionButton.addEventListener('click', () => {
    if (!isUnusable(newSessionButton)) void leaveSession();
  });

  prefill();
  resumeSession();
  listenForForgetting();
  loadCaptcha();
  // Last: the HTML serves the button disabled, so that the browser never submits the form itself.
  submitButton.disabled = false;
  // The page works: the notice the stylesheet would reveal, were it still here in a few seconds, is not needed.
  document.getElementById('script-failed').remove();
}
