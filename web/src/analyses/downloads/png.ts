// PNG download: the chart as the page shows it, at twice its pixel size, on white.
import { saveBlob } from '../../api';

// A data: URL as a Blob, decoded here (fetching a data: URL is refused by connect-src 'self').
export async function dataUrlToBlob(url: string): Promise<Blob> {
  const [head, body] = url.split(',', 2);
  const type = /^data:([^;,]+)/.exec(head)?.[1] ?? 'application/octet-stream';
  const binary = atob(body);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

export async function savePng(dataUrl: string, filename: string): Promise<void> {
  saveBlob(await dataUrlToBlob(dataUrl), filename);
}
