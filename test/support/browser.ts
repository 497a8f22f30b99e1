import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium: `.ci/run` installs it when it is missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

/** A listener's phone, set to Indonesian: the page's default language, on a common small screen. */
export const LISTENER_PHONE = { locale: 'id-ID', viewport: { width: 390, height: 844 } } as const;

/** The chat page's three fields' labels in Indonesian, the page's default language. */
const PROFILE_LABELS = ['Nama', 'Kota', 'Negara'] as const;

/** Types a profile into the chat page's form, each field found by its label as a listener hears it. */
export const fillProfile = async (
  page: Page,
  values: readonly [name: string, city: string, country: string],
  labels: readonly [string, string, string] = PROFILE_LABELS,
): Promise<void> => {
  for (const [index, label] of labels.entries()) await page.getByLabel(label).fill(values[index]!);
};

/**
 * Waits until an expression is true in the page, polling from outside. Playwright's `waitForFunction` checks once
 * from outside, then polls inside the page by evaluating the expression there, which the chat page's CSP (no
 * 'unsafe-eval') refuses: it fails whenever the expression is not true at the first check.
 */
export const waitUntilTrue = async (page: Page, expression: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > deadline) throw new Error(`still false after 10 s: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
