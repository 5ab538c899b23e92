// CSV download: the server's own CSV answer (UTF-8 with BOM, CRLF) under the server's file name,
// in the form for people (SPEC §19): headings in the page's language, talk time also as h:mm:ss.
import { download, saveBlob } from '../../api';
import { lang } from '../../i18n';

export async function saveCsv(apiName: string, query: URLSearchParams): Promise<string> {
  const q = new URLSearchParams(query);
  q.set('format', 'csv');
  q.set('headers', lang() === 'en' ? 'en' : 'ja');
  const { blob, filename } = await download(`/api/analytics/${apiName}?${q}`);
  saveBlob(blob, filename);
  return filename;
}
