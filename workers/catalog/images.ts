import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';

import type { AppEnv } from '@/env';
import { requireAuth, currentUser } from '@/identity';
import { AppError, errorResponses } from '@/platform/errors';
import { envelope, jsonContent } from '@/platform/responses';
import { createRouter } from '@/platform/router';

/**
 * Product images sellers upload, kept in R2 (docs/decisions/catalog.md, "Uploaded images"). The browser sends the
 * picture at the size the product page needs and, optionally, a small one for cards and lists; both are stored
 * under one random name (`<id>.<ext>`, `<id>-thumb.<ext>`, the image itself when no small copy was sent, so every
 * upload has one) and served by the Worker as immutable files.
 */

export const IMAGE_UPLOAD_PATH = '/api/v1/products/images';
const UPLOADS_PREFIX = '/images/uploads/';
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/avif': 'avif' } as const;
type ImageType = keyof typeof TYPES;

/** The type the bytes say they are (never the client's word for it), or null for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(8, 12))) return 'image/avif';
  return null;
}

const fileField = (description: string) => z.instanceof(File).openapi({ type: 'string', format: 'binary', description });

const uploadFormSchema = z.object({
  image: fileField(`JPEG, PNG, WebP or AVIF, at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`),
  thumb: fileField('Optional smaller copy for product cards (same rules)').optional(),
});

const uploadedSchema = z
  .object({
    url: z.string().openapi({ example: '/images/uploads/0193a000-1111-7222-8333-444455556666.webp' }),
    thumbnailUrl: z.string().openapi({ description: 'Always `url` with `-thumb` before the extension' }),
  })
  .openapi('UploadedImage');

async function readImage(file: File, field: string): Promise<{ bytes: Uint8Array; type: ImageType }> {
  if (file.size > MAX_IMAGE_BYTES) throw new AppError(413, 'PAYLOAD_TOO_LARGE', `An image may be at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`, { [field]: 'too large' });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffImageType(bytes);
  if (!type) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Upload a JPEG, PNG, WebP or AVIF image', { [field]: 'not a JPEG, PNG, WebP or AVIF image' });
  return { bytes, type };
}

const uploadRoute = createRoute({
  method: 'post',
  path: IMAGE_UPLOAD_PATH,
  tags: ['Products'],
  summary: 'Upload a product image (seller or admin); use the answered URL in a product’s images',
  security: [{ bearerAuth: [] }],
  middleware: [
    requireAuth('seller', 'admin'),
    bodyLimit({
      maxSize: 2 * MAX_IMAGE_BYTES + 64 * 1024,
      onError: () => {
        throw new AppError(413, 'PAYLOAD_TOO_LARGE', `An image may be at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`);
      },
    }),
  ] as const,
  request: { body: { content: { 'multipart/form-data': { schema: uploadFormSchema } }, required: true } },
  responses: { 201: jsonContent(envelope(uploadedSchema), 'Stored'), ...errorResponses(400, 401, 403, 413, 415) },
});

/** Where the uploaded images are kept (the `IMAGES` R2 bucket; the composition root's `imageBucketFromEnv`). */
export type ImageBucket = Pick<R2Bucket, 'put' | 'get'>;

/** Uploads and the files themselves, kept in the bucket `bucketOf` names for the request's env. */
export const createImagesRouter = (bucketOf: (env: AppEnv) => ImageBucket) =>
  createRouter()
    .openapi(uploadRoute, async (c) => {
      const form = c.req.valid('form');
      const image = await readImage(form.image, 'image');
      const thumb = form.thumb ? await readImage(form.thumb, 'thumb') : null;
      const id = crypto.randomUUID();
      const ext = TYPES[image.type];
      const put = (name: string, file: { bytes: Uint8Array; type: ImageType }) =>
        bucketOf(c.env).put(`uploads/${name}.${ext}`, file.bytes, {
          httpMetadata: { contentType: file.type, cacheControl: 'public, max-age=31536000, immutable' },
          customMetadata: { uploadedBy: currentUser(c).id },
        });
      await Promise.all([put(id, image), put(`${id}-thumb`, thumb ?? image)]);
      return c.json({ success: true as const, data: { url: `${UPLOADS_PREFIX}${id}.${ext}`, thumbnailUrl: `${UPLOADS_PREFIX}${id}-thumb.${ext}` } }, 201);
    })
    // The files themselves: never change once written (a new upload gets a new name), so caches may keep them a year.
    .get(`${UPLOADS_PREFIX}:name{[0-9a-f-]{36}(-thumb)?\\.(jpg|png|webp|avif)}`, async (c) => {
      const object = await bucketOf(c.env).get(`uploads/${c.req.param('name')}`);
      if (!object) throw new AppError(404, 'NOT_FOUND', 'No such image');
      const headers = new Headers();
      object.writeHttpMetadata(headers);
      headers.set('ETag', object.httpEtag);
      headers.set('X-Content-Type-Options', 'nosniff');
      return new Response(object.body, { headers });
    });
