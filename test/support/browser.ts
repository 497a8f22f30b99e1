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
