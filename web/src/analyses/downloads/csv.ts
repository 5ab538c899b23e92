// CSV download: the server's own CSV answer (UTF-8 with BOM, CRLF) under the server's file name.
import { download, saveBlob } from '../../api';

export async function saveCsv(apiName: string, query: URLSearchParams): Promise<string> {
  const q = new URLSearchParams(query);
  q.set('format', 'csv');
  const { blob, filename } = await download(`/api/analytics/${apiName}?${q}`);
  saveBlob(blob, filename);
  return filename;
}
