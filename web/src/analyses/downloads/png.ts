// PNG download: the chart as the page shows it, at twice its pixel size, on white.
import { saveBlob } from '../../api';

export async function dataUrlToBlob(url: string): Promise<Blob> {
  return (await fetch(url)).blob();
}

export async function savePng(dataUrl: string, filename: string): Promise<void> {
  saveBlob(await dataUrlToBlob(dataUrl), filename);
}
