// Copies the Japanese font that PDF downloads embed (Debian's fonts-ipafont-gothic, IPA Font
// License) into the build as /fonts/ipag.ttf; the page fetches it only when a PDF is made.
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = process.env.CXS_PDF_FONT ?? '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf';
const target = resolve(here, '../../build/web/fonts/ipag.ttf');
if (!existsSync(source)) {
  console.error(`copy-font: ${source} is missing (Debian package fonts-ipafont-gothic; ./ops/cxs setup installs it)`);
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
