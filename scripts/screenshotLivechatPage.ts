/**
 * `npm run docs:screenshot`: starts the service on a free port with an embedded database in a temporary
 * folder, and photographs GET /livechat at a desktop and a phone width into docs/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/infrastructure/config.js';
import { buildContainer } from '../src/infrastructure/container.js';
import { startServer } from '../src/infrastructure/server.js';
import { launchChromium } from '../test/support/browser.js';

const SHOTS = [
  { file: 'docs/livechat-page.png', viewport: { width: 1280, height: 800 } },
  { file: 'docs/livechat-page-mobile.png', viewport: { width: 390, height: 844 } },
];

const run = async (): Promise<void> => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-screenshot-'));
  const config = loadConfig({ NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, () => {
    throw new Error('no secret files here');
  });
  const running = await startServer(buildContainer(config));
  const browser = await launchChromium();
  try {
    for (const { file, viewport } of SHOTS) {
      const context = await browser.newContext({ locale: 'id-ID', viewport, deviceScaleFactor: 1 });
      await context.addCookies([
        { name: 'livechat_name', value: encodeURIComponent('Budi Santoso'), url: `http://127.0.0.1:${running.port}` },
      ]);
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${running.port}/livechat`);
      // One field error, so the picture shows how the page reports problems.
      await page.getByLabel('Kota').fill('S');
      await page.getByLabel('Negara').fill('Indonesia');
      await page.getByRole('button', { name: 'Mulai chat' }).click();
      await page.locator('#city-error').waitFor();
      await page.screenshot({ path: file, fullPage: true });
      await context.close();
      process.stdout.write(`wrote ${file}\n`);
    }
  } finally {
    await browser.close();
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

run().catch((error: unknown) => {
  process.stderr.write(`screenshot failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
