import type { Locale } from './locale.js';
import { profileHint } from './profileMessages.js';

/** Texts of the chat page: the HTML's (escaped into the template) and the script's (status messages). */
export interface PageText {
  readonly html: {
    readonly title: string;
    readonly heading: string;
    readonly intro: string;
    readonly nameLabel: string;
    readonly nameHint: string;
    readonly cityLabel: string;
    readonly cityHint: string;
    readonly countryLabel: string;
    readonly countryHint: string;
    readonly required: string;
    readonly captchaLabel: string;
    readonly submit: string;
    readonly connectedHeading: string;
    readonly connectedAs: string;
    readonly connectedText: string;
    readonly newSession: string;
    readonly noscript: string;
    /** Shown when the script has not started after a few seconds: failed to load, or still loading. */
    readonly scriptFailed: string;
  };
  readonly script: {
    readonly sending: string;
    readonly fixErrors: string;
    readonly rateLimited: string;
    /** With the countdown beside the button, which alone says how long: a second figure would soon disagree with it. */
    readonly rateLimitedWait: string;
    /** Beside the button while it waits; `{duration}`: the seconds left, in words ("13 detik", "1 second"). */
    readonly retryIn: string;
    readonly retryNow: string;
    readonly unavailable: string;
    readonly network: string;
    readonly unexpected: string;
    /** While "Not you?" waits for the server to forget the listener. */
    readonly leaving: string;
    readonly leaveFailed: string;
    readonly captchaUnavailable: string;
    /** Submitting before hCaptcha's script has rendered the widget. */
    readonly captchaLoading: string;
  };
}

export const PAGE_TEXT: Readonly<Record<Locale, PageText>> = {
  id: {
    html: {
      title: 'Live Chat Suara Pendengar',
      heading: 'Gabung live chat',
      intro: 'Isi nama, kota, dan negara Anda untuk mengobrol bersama penyiar dan pendengar lain.',
      nameLabel: 'Nama',
      nameHint: profileHint('id', 'name', 'Budi Santoso'),
      cityLabel: 'Kota',
      cityHint: profileHint('id', 'city', 'Solo'),
      countryLabel: 'Negara',
      countryHint: profileHint('id', 'country', 'Indonesia'),
      required: '(wajib)',
      captchaLabel: 'Verifikasi bahwa Anda bukan robot',
      submit: 'Mulai chat',
      connectedHeading: 'Sesi live chat Anda sudah dimulai',
      connectedAs: 'Masuk sebagai',
      connectedText: 'Selamat mengobrol bersama Suara Pendengar!',
      newSession: 'Bukan Anda? Mulai sesi baru',
      noscript: 'Halaman ini memerlukan JavaScript untuk tersambung ke live chat.',
      scriptFailed: 'Halaman ini belum dapat digunakan. Jika pesan ini tidak hilang, muat ulang halaman.',
    },
    script: {
      sending: 'Menghubungkan…',
      fixErrors: 'Periksa kembali isian yang ditandai.',
      rateLimited: 'Terlalu banyak percobaan. Tunggu sebentar, lalu coba lagi.',
      rateLimitedWait: 'Terlalu banyak percobaan. Tunggu hingga tombol aktif kembali.',
      retryIn: 'Tombol aktif kembali dalam {duration}.',
      retryNow: 'Silakan coba lagi sekarang.',
      unavailable: 'Layanan sedang bermasalah. Silakan coba lagi sebentar lagi.',
      network: 'Tidak dapat terhubung ke server. Periksa koneksi internet Anda, lalu coba lagi.',
      unexpected: 'Terjadi kesalahan. Silakan coba lagi.',
      leaving: 'Menghapus data Anda dari perangkat ini…',
      leaveFailed: 'Sesi baru belum bisa dimulai: data Anda masih tersimpan di perangkat ini. Silakan coba lagi.',
      captchaUnavailable: 'Captcha tidak dapat dimuat. Periksa koneksi internet Anda, lalu muat ulang halaman ini.',
      captchaLoading: 'Captcha masih dimuat. Tunggu sebentar, lalu coba lagi.',
    },
  },
  en: {
    html: {
      title: 'Suara Pendengar live chat',
      heading: 'Join the live chat',
      intro: 'Enter your name, city and country to chat with the hosts and other listeners.',
      nameLabel: 'Name',
      nameHint: profileHint('en', 'name', 'Budi Santoso'),
      cityLabel: 'City',
      cityHint: profileHint('en', 'city', 'Solo'),
      countryLabel: 'Country',
      countryHint: profileHint('en', 'country', 'Indonesia'),
      required: '(required)',
      captchaLabel: 'Confirm that you are not a robot',
      submit: 'Start chatting',
      connectedHeading: 'Your live chat session has started',
      connectedAs: 'Signed in as',
      connectedText: 'Enjoy the chat with Suara Pendengar!',
      newSession: 'Not you? Start a new session',
      noscript: 'This page needs JavaScript to connect to the live chat.',
      scriptFailed: 'This page cannot be used yet. If this message stays, reload the page.',
    },
    script: {
      sending: 'Connecting…',
      fixErrors: 'Please check the highlighted fields.',
      rateLimited: 'Too many attempts. Wait a moment, then try again.',
      rateLimitedWait: 'Too many attempts. Wait until the button works again.',
      retryIn: 'The button works again in {duration}.',
      retryNow: 'You can try again now.',
      unavailable: 'The service is having trouble. Please try again shortly.',
      network: 'Cannot reach the server. Check your internet connection, then try again.',
      unexpected: 'Something went wrong. Please try again.',
      leaving: 'Removing your details from this device…',
      leaveFailed: 'A new session could not be started: your details are still on this device. Please try again.',
      captchaUnavailable: 'The captcha could not be loaded. Check your internet connection, then reload this page.',
      captchaLoading: 'The captcha is still loading. Wait a moment, then try again.',
    },
  },
};
