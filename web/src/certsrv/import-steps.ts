// How to import the PKCS#12 file (.p12) into each browser and operating system: the one place the
// steps are written: the /certsrv/ page shows them, and the documentation of the import
// (docs/certificates.md) copies them from here. Data only.
//
// In the texts, {file} is the file's name (cxs-<ID>.p12) and {id} the CX Support ID; the page
// fills them in. `code` is something to type or copy (an address, a command), shown on its own.
//
// Where each browser keeps client certificates:
//   - Windows: Chrome and Edge use the Windows certificate store (the import wizard);
//   - macOS: Chrome, Edge and Safari use the Keychain (the login keychain);
//   - Firefox, on every system, its own store (Settings → Privacy & Security → View Certificates);
//   - Linux: Chrome and Edge their own NSS store (~/.pki/nssdb) through their settings.

export type Browser = 'chrome' | 'edge' | 'firefox' | 'safari';
export type Os = 'windows' | 'macos' | 'linux';
export type PlatformKey = `${Browser}-${Os}`;

export interface Step {
  text: string;
  code?: string;   // typed or copied as it is
  note?: string;   // a smaller line under the step
}

export interface Guide {
  store: string;          // where the certificate goes, one sentence
  steps: Step[];
  alternative?: Step;     // another way, for those who prefer it (a command)
  loginNote?: string;     // a prompt this platform shows at login
}

export interface Platform { key: PlatformKey; browser: Browser; os: Os; label: string }

export const BROWSER_NAMES: Record<Browser, string> = { chrome: 'Google Chrome', edge: 'Microsoft Edge', firefox: 'Firefox', safari: 'Safari' };
export const OS_NAMES: Record<Os, string> = { windows: 'Windows', macos: 'macOS', linux: 'Linux' };

// Every combination the page explains (Safari exists on macOS only), in the selector's order.
export const PLATFORMS: Platform[] = ([
  ['chrome', 'windows'], ['chrome', 'macos'], ['chrome', 'linux'],
  ['edge', 'windows'], ['edge', 'macos'], ['edge', 'linux'],
  ['firefox', 'windows'], ['firefox', 'macos'], ['firefox', 'linux'],
  ['safari', 'macos'],
] as [Browser, Os][]).map(([browser, os]) => ({
  key: `${browser}-${os}` as PlatformKey, browser, os, label: `${BROWSER_NAMES[browser]}（${OS_NAMES[os]}）`,
}));

const PASSWORD_STEP = 'パスワードを求められたら、このページに表示された証明書のパスワードを入力して「OK」を押します。';

// Windows: the certificate import wizard of the Windows certificate store.
const windowsStore = (browser: string): Guide => ({
  store: `${browser}（Windows）は、Windows の証明書ストアに取り込んだ証明書を使います。`,
  steps: [
    { text: 'ダウンロードした「{file}」をダブルクリックします。「証明書のインポート ウィザード」が開きます。' },
    { text: '保存場所は「現在のユーザー」を選び、「次へ」を押します。' },
    { text: 'インポートするファイルが「{file}」であることを確かめて、「次へ」を押します。' },
    { text: '「パスワード」の欄に、このページに表示された証明書のパスワードを入力して「次へ」を押します。',
      note: 'その下の「インポート オプション」は、変更しないままで構いません。' },
    { text: '「証明書の種類に基づいて、自動的に証明書ストアを選択する」を選び、「次へ」を押して、「完了」を押します。' },
    { text: '「正しくインポートされました。」と表示されれば、取り込みは完了です。' },
  ],
});

// macOS: the login keychain (Keychain Access).
const keychain = (browser: string): Guide => ({
  store: `${browser}（macOS）は、macOS のキーチェーンに取り込んだ証明書を使います。`,
  steps: [
    { text: 'ダウンロードした「{file}」をダブルクリックします。「キーチェーンアクセス」が開き、証明書を追加する画面が表示されます。' },
    { text: '「キーチェーン」で「ログイン」を選び、「追加」を押します。' },
    { text: PASSWORD_STEP, note: 'Mac のログインパスワードを求められた場合は、Mac にログインするときのパスワードを入力します。' },
    { text: '「キーチェーンアクセス」の「ログイン」キーチェーンの「自分の証明書」に、名前が「{id}」の証明書が表示されれば、取り込みは完了です。' },
  ],
  loginNote: 'ログインのときに「キーチェーン内の鍵を使用しようとしています」と表示されたら、Mac のログインパスワードを入力して「常に許可」を押します。',
});

// Firefox: its own certificate store, on every system.
const firefox = (os: Os): Guide => ({
  store: `Firefox（${OS_NAMES[os]}）は、${OS_NAMES[os]} の証明書の保管場所とは別の、Firefox 専用の保管場所に取り込んだ証明書を使います。`,
  steps: [
    { text: 'Firefox の右上のメニュー（≡）から「設定」を開きます。' },
    { text: '左側の「プライバシーとセキュリティ」を選び、下のほうの「証明書」の欄にある「証明書を表示...」を押します。' },
    { text: '「証明書マネージャー」の「あなたの証明書」タブを選び、「インポート...」を押します。' },
    { text: 'ダウンロードした「{file}」を選んで開きます。' },
    { text: PASSWORD_STEP, note: 'Firefox に「主パスワード」を設定している場合は、先にそちらを求められます。' },
    { text: '「あなたの証明書」の一覧に「{id}」の証明書が表示されれば、取り込みは完了です。' },
  ],
});

// Chrome and Edge on Linux: their own NSS store, through their settings.
const NSS_COMMAND = 'pk12util -d sql:$HOME/.pki/nssdb -i {file}';
const linuxChromium = (browser: 'chrome' | 'edge'): Guide => ({
  store: `${BROWSER_NAMES[browser]}（Linux）は、ブラウザの証明書の保管場所（NSS）に取り込んだ証明書を使います。`,
  steps: browser === 'chrome' ? [
    { text: 'Chrome のアドレスバーに次のアドレスを入力して開きます。', code: 'chrome://settings/certificates',
      note: 'Chrome 131 以降では「証明書の管理」の画面が開きます。' },
    { text: '「あなたの証明書」タブ（Chrome 131 以降は「ご自身の証明書」）を選び、「インポート」を押します。' },
    { text: 'ダウンロードした「{file}」を選んで開きます。' },
    { text: PASSWORD_STEP },
    { text: '一覧に「{id}」の証明書が表示されれば、取り込みは完了です。' },
  ] : [
    { text: 'Edge のアドレスバーに次のアドレスを入力して開き、「セキュリティ」の「証明書の管理」を選びます。', code: 'edge://settings/privacy' },
    { text: '「あなたの証明書」タブ（新しい版では「ご自身の証明書」）を選び、「インポート」を押します。' },
    { text: 'ダウンロードした「{file}」を選んで開きます。' },
    { text: PASSWORD_STEP },
    { text: '一覧に「{id}」の証明書が表示されれば、取り込みは完了です。' },
  ],
  alternative: { text: 'コマンドで取り込む場合は、端末で次のコマンドを実行し、証明書のパスワードを入力します（libnss3-tools が必要です）。', code: NSS_COMMAND },
});

export const GUIDES: Record<PlatformKey, Guide | undefined> = {
  'chrome-windows': windowsStore('Google Chrome'),
  'chrome-macos': keychain('Google Chrome'),
  'chrome-linux': linuxChromium('chrome'),
  'edge-windows': windowsStore('Microsoft Edge'),
  'edge-macos': keychain('Microsoft Edge'),
  'edge-linux': linuxChromium('edge'),
  'firefox-windows': firefox('windows'),
  'firefox-macos': firefox('macos'),
  'firefox-linux': firefox('linux'),
  'safari-macos': keychain('Safari'),
  'safari-windows': undefined,
  'safari-linux': undefined,
};

// After the import, on every platform.
export const FINISH_STEPS: Step[] = [
  { text: 'ブラウザをすべて閉じてから、もう一度起動します。' },
  { text: 'CX Support のログインページを開き、CX Support ID とパスワードを入力します。' },
  { text: 'ブラウザが証明書の選択を求めたら、「{id}」（発行者: CX Support Root）の証明書を選んで「OK」を押します。' },
];

// The default when the visitor's platform is not one of the above.
export const DEFAULT_PLATFORM: PlatformKey = 'chrome-windows';
