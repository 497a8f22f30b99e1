import { expect } from 'chai';
import { send, type TestResponse } from '../../support/httpClient.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

const CHAT_SCRIPT = 'https://chat.radio.example/client/v2/chat.js';
const CHAT_SOCKET = 'wss://chat.radio.example/socket';

describe('GET /livechat with a chat client configured (CHAT_CLIENT_SCRIPT_URL, CHAT_WEBSOCKET_URL)', () => {
  let app: TestApp;
  let page: TestResponse;

  before(async () => {
    app = await startTestApp({ env: { CHAT_CLIENT_SCRIPT_URL: CHAT_SCRIPT, CHAT_WEBSOCKET_URL: CHAT_SOCKET } });
    page = await send(app.baseUrl, { path: '/livechat' });
  });
  after(async () => {
    await app?.stop();
  });

  it("lets in the chat client's script and its server, by their exact URLs, without Trusted Types", () => {
    expect(page.status).to.equal(200);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).to.include(`script-src 'self' ${CHAT_SCRIPT};`).and.include(`connect-src 'self' ${CHAT_SOCKET};`);
    expect(csp).to.include("default-src 'none'").and.include("frame-ancestors 'none'").and.not.include('trusted-types');
    expect(csp).to.not.match(/unsafe-inline|unsafe-eval/);
  });

  it("loads the chat client's script after its own, and tells its own where the chat server is", async () => {
    const scripts = [...page.text.matchAll(/<script src="([^"]+)" defer><\/script>/g)].map((match) => match[1]!);
    expect(scripts).to.have.length(2);
    expect(scripts[0]).to.match(/^\/livechat\/assets\/livechat\.id\.[\w-]+\.js$/);
    expect(scripts[1]).to.equal(CHAT_SCRIPT);
    const own = await send(app.baseUrl, { path: scripts[0]! });
    expect(own.text).to.include(`"websocketUrl":"${CHAT_SOCKET}"`);
  });
});
