import { z } from 'zod';

import { moneyAmount } from './money-schema';

/**
 * The product input rules both sides enforce: the Worker's product schemas (`workers/catalog/schema.ts`) are built
 * from these, and the seller's product form checks the same values. Builders, not instances, for the reason given
 * in `contract/identity.ts`.
 */

export const MAX_PRODUCT_IMAGES = 5;

export const productName = () => z.string().trim().min(1).max(200);

/** The seller's own stock-keeping code; blank is allowed (it clears the code). */
export const sku = () => z.string().trim().max(64).regex(/^[A-Za-z0-9._/-]*$/, 'Use letters, digits and . _ - / only');

export const productDescription = () => z.string().max(5000);

/** A product's price: a 2-decimal amount ≥ 0 and ≤ 1,000,000. */
export const amount = () => moneyAmount(1_000_000);

export const stockQuantity = () => z.number().int().min(0).max(10_000_000);

const SHOP_IMAGE_PATH = /^\/images\/[A-Za-z0-9._~/-]+$/;

/** An http(s) URL or a path the shop serves itself (`/images/...`); nothing else reaches an `<img src>`. */
export const imageUrl = () =>
  z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .refine((value) => {
      if (SHOP_IMAGE_PATH.test(value)) return !value.split('/').includes('..');
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'must be an http(s) URL or a /images/... path');

export const imageAltText = () => z.string().trim().max(255);

/** A review's stars. */
export const reviewRating = () => z.number().int().min(1).max(5);

export const reviewComment = () => z.string().max(2000);
