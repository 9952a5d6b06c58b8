import { useMutation } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';
import type { UploadedImage } from '@/types/api';

/** The longest side of the image pages show, and of the copy product cards use. */
const FULL_PX = 1600;
const THUMB_PX = 480;

/** The picture scaled down (never up) to fit `max` px, as WebP; the browser does the work before anything is sent. */
async function scaled(bitmap: ImageBitmap, max: number): Promise<Blob> {
  const ratio = Math.min(1, max / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * ratio));
  canvas.height = Math.max(1, Math.round(bitmap.height * ratio));
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('This image could not be read'))), 'image/webp', 0.85));
}

/** `POST /products/images`: the image at page size and a card-size copy; answers their URLs. */
export async function uploadImage(file: File): Promise<UploadedImage> {
  const bitmap = await createImageBitmap(file);
  try {
    const body = new FormData();
    body.append('image', await scaled(bitmap, FULL_PX), 'image.webp');
    body.append('thumb', await scaled(bitmap, THUMB_PX), 'thumb.webp');
    // The document types a `format: binary` part as `string`; the parts are Blobs, so the body goes as the FormData
    // it is (openapi-fetch sends FormData unchanged and leaves its multipart Content-Type to the browser).
    return await dataOf(client.POST('/products/images', { body: body as never }));
  } finally {
    bitmap.close();
  }
}

export const useUploadImage = () => useMutation({ mutationFn: uploadImage, meta: { errorToast: false } });
