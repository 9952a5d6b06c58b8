import { type FormEvent, useRef, useState } from 'react';

import { amount, imageAltText, imageUrl, MAX_PRODUCT_IMAGES, productDescription, productName, sku, stockQuantity } from '@contract/catalog';
import { amountToCents, centsToAmount } from '@contract/money';
import { FormError, SelectField, TextAreaField, TextField } from '@/components/ui/form-field';
import { ProductImage } from '@/components/ui/product-image';
import { CategoryCombobox } from '@/features/seller/components/category-combobox';
import { ImageUploader } from '@/features/seller/components/image-uploader';
import { isApiError } from '@/lib/api-client';
import { getErrorMessage } from '@/lib/error-message';
import { checkWith, compactErrors, focusFirstInvalid, hasErrors, serverFieldErrors } from '@/lib/validation';
import type { Category, CreateProductInput, ProductDetail, ProductStatus, UpdateProductInput } from '@/types/api';

export const MAX_IMAGES = MAX_PRODUCT_IMAGES;

export interface ProductFormValues {
  name: string;
  sku: string;
  description: string;
  price: string;
  stock: string;
  stockDelta: string;
  categoryId: number | null;
  status: ProductStatus;
  images: { url: string; altText: string }[];
}

type Field = 'name' | 'sku' | 'description' | 'price' | 'stock' | 'stockDelta' | 'categoryId' | 'images';
export type ProductFormErrors = Partial<Record<Field, string>> & { imageRows?: Record<number, string> };

const WHOLE_NUMBER = /^\d+$/;

/** A number field's text, read as the number the API is sent and checked with the server's schema for it. */
const checkNumber = (text: string, schema: Parameters<typeof checkWith>[0], message: string) => {
  const value = text.trim();
  return value && !checkWith(schema, Number(value)) ? undefined : message;
};

/** The server's product rules (`@contract/catalog`): name, SKU, description, price, stock, images and their text. */
export function validateProductForm(values: ProductFormValues, mode: 'create' | 'edit'): ProductFormErrors {
  const errors: ProductFormErrors = compactErrors({
    name: values.name.trim() ? checkWith(productName(), values.name) : 'Enter a product name.',
    sku: checkWith(sku(), values.sku),
    description: checkWith(productDescription(), values.description),
    price: values.price.trim() ? checkNumber(values.price, amount(), 'Enter a price from 0 to 1,000,000 with at most 2 decimals.') : 'Enter a price.',
    stock: mode === 'create' ? checkNumber(values.stock, stockQuantity(), 'Enter the stock as a whole number, 0 or more.') : undefined,
    stockDelta: mode === 'edit' && values.stockDelta.trim() && !WHOLE_NUMBER.test(values.stockDelta.trim()) ? 'Enter how many units to add, as a whole number.' : undefined,
    images: values.images.length > MAX_IMAGES ? `Add at most ${MAX_IMAGES} images.` : undefined,
  });
  const imageRows: Record<number, string> = {};
  values.images.forEach((image, i) => {
    if (checkWith(imageUrl(), image.url)) imageRows[i] = 'Enter an http(s) URL or a /images/… path, or remove this row.';
    else if (checkWith(imageAltText(), image.altText)) imageRows[i] = 'Keep the description under 255 characters.';
  });
  if (Object.keys(imageRows).length > 0) errors.imageRows = imageRows;
  return errors;
}

/** The list with the item at `from` moved to `to`. */
export function moved<T>(items: T[], from: number, to: number): T[] {
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

const formHasErrors = (errors: ProductFormErrors) =>
  hasErrors({ ...errors, imageRows: undefined }) || Object.keys(errors.imageRows ?? {}).length > 0;

/** Wire amount from the typed price: cents first, so "19.99" is exactly 19.99 on the wire. */
const toAmount = (price: string) => centsToAmount(amountToCents(Number(price)));

export function toValues(product?: ProductDetail): ProductFormValues {
  return {
    name: product?.name ?? '',
    sku: product?.sku ?? '',
    description: product?.description ?? '',
    price: product ? product.price.toFixed(2) : '',
    stock: product ? String(product.stockQuantity) : '',
    stockDelta: '',
    categoryId: product?.categoryId ?? null,
    status: product?.status ?? 'ACTIVE',
    images: product ? [...product.images].sort((a, b) => a.sortOrder - b.sortOrder).map((i) => ({ url: i.url, altText: i.altText ?? '' })) : [],
  };
}

export function toCreateInput(values: ProductFormValues): CreateProductInput {
  return {
    name: values.name.trim(),
    sku: values.sku.trim() || undefined,
    description: values.description.trim() || undefined,
    price: toAmount(values.price),
    categoryId: values.categoryId,
    stockQuantity: Number(values.stock),
    images: values.images.map((image, sortOrder) => ({ url: image.url.trim(), altText: image.altText.trim() || undefined, sortOrder })),
  };
}

export function toUpdateInput(values: ProductFormValues, version: number): UpdateProductInput {
  const delta = Number(values.stockDelta || 0);
  return {
    name: values.name.trim(),
    sku: values.sku.trim(),
    description: values.description.trim(),
    price: toAmount(values.price),
    categoryId: values.categoryId,
    images: values.images.map((image, sortOrder) => ({ url: image.url.trim(), altText: image.altText.trim() || undefined, sortOrder })),
    status: values.status,
    stockDelta: delta > 0 ? delta : undefined,
    version,
  };
}

interface ProductFormProps {
  product?: ProductDetail;
  categories: Category[];
  pending: boolean;
  error: unknown;
  onSubmit: (values: ProductFormValues) => void;
}

const SERVER_FIELDS = ['name', 'sku', 'description', 'price', 'stockQuantity', 'stockDelta', 'categoryId', 'images'] as const;

/** Create (no product) or edit (product given: stock read-only + "Add more stock", status, optimistic version). */
export function ProductForm({ product, categories, pending, error, onSubmit }: ProductFormProps) {
  const mode = product ? 'edit' : 'create';
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(() => toValues(product));
  const [errors, setErrors] = useState<ProductFormErrors>({});
  const server = serverFieldErrors(error, SERVER_FIELDS);
  const shown: ProductFormErrors = {
    ...errors,
    name: errors.name ?? server.name,
    sku: errors.sku ?? server.sku ?? (isApiError(error) && error.code === 'SKU_TAKEN' ? 'You already use this SKU on another product.' : undefined),
    description: errors.description ?? server.description,
    price: errors.price ?? server.price,
    stock: errors.stock ?? server.stockQuantity,
    stockDelta: errors.stockDelta ?? server.stockDelta,
    categoryId: errors.categoryId ?? server.categoryId,
    images: errors.images ?? server.images,
  };
  const set = <K extends keyof ProductFormValues>(key: K, value: ProductFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const setImage = (index: number, patch: Partial<ProductFormValues['images'][number]>) =>
    setValues((v) => ({ ...v, images: v.images.map((image, i) => (i === index ? { ...image, ...patch } : image)) }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = validateProductForm(values, mode);
    setErrors(next);
    if (formHasErrors(next)) return focusFirstInvalid(formRef.current);
    onSubmit(values);
  };

  const conflict = isApiError(error) && error.code === 'CONCURRENT_MODIFICATION';
  const formError = error
    ? conflict
      ? 'Someone changed this product since you opened it. Reload the page to see the latest version, then try again.'
      : getErrorMessage(error)
    : null;

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate>
      <FormError message={formError && !hasErrors(server) ? formError : null} />
      <TextField label="Name" required maxLength={200} value={values.name} onChange={(e) => set('name', e.target.value)} error={shown.name} />
      <TextField label="SKU (optional)" hint="Your own stock-keeping code, to find the product quickly." maxLength={64} value={values.sku} onChange={(e) => set('sku', e.target.value)} error={shown.sku} />
      <TextAreaField
        label="Description"
        maxLength={5000}
        rows={5}
        value={values.description}
        onChange={(e) => set('description', e.target.value)}
        error={shown.description}
      />
      <div className="form__row">
        <TextField
          label="Price (USD)"
          required
          inputMode="decimal"
          value={values.price}
          onChange={(e) => set('price', e.target.value)}
          error={shown.price}
        />
        {mode === 'create' ? (
          <TextField
            label="Stock"
            required
            inputMode="numeric"
            value={values.stock}
            onChange={(e) => set('stock', e.target.value)}
            error={shown.stock}
          />
        ) : (
          <>
            <TextField label="Current stock" value={values.stock} readOnly hint={product ? `${product.stockReserved} reserved by open orders` : undefined} />
            <TextField
              label="Add more stock"
              inputMode="numeric"
              value={values.stockDelta}
              onChange={(e) => set('stockDelta', e.target.value)}
              error={shown.stockDelta}
              hint="Units to add to the current stock."
            />
          </>
        )}
      </div>
      <CategoryCombobox categories={categories} value={values.categoryId} onChange={(id) => set('categoryId', id)} error={shown.categoryId} />
      {mode === 'edit' ? (
        <SelectField label="Status" value={values.status} onChange={(e) => set('status', e.target.value as ProductStatus)}>
          <option value="ACTIVE">Active</option>
          <option value="INACTIVE">Inactive</option>
          <option value="DELETED">Deleted</option>
        </SelectField>
      ) : null}
      <fieldset className="form card">
        <legend className="field__label">Images (up to {MAX_IMAGES})</legend>
        {shown.images ? <p className="field__error">{shown.images}</p> : null}
        <ImageUploader room={MAX_IMAGES - values.images.length} onUploaded={(url) => setValues((v) => ({ ...v, images: [...v.images, { url, altText: '' }] }))} />
        <ol className="image-rows" aria-label="Images, first shown first">
          {values.images.map((image, i) => (
            <li key={i} className="image-row">
              <ProductImage src={image.url} alt="" width={64} height={64} sizes="64px" className="image-row__preview" />
              <TextField
                label={`Image ${i + 1} URL`}
                type="url"
                value={image.url}
                onChange={(e) => setImage(i, { url: e.target.value })}
                error={errors.imageRows?.[i]}
              />
              <TextField label={`Image ${i + 1} description`} maxLength={255} value={image.altText} onChange={(e) => setImage(i, { altText: e.target.value })} />
              <div className="image-row__actions">
                <button type="button" className="button button--secondary button--small" disabled={i === 0} onClick={() => set('images', moved(values.images, i, i - 1))}>
                  Move up<span className="visually-hidden"> image {i + 1}</span>
                </button>
                <button type="button" className="button button--secondary button--small" disabled={i === values.images.length - 1} onClick={() => set('images', moved(values.images, i, i + 1))}>
                  Move down<span className="visually-hidden"> image {i + 1}</span>
                </button>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => set('images', values.images.filter((_, j) => j !== i))}
                >
                  Remove<span className="visually-hidden"> image {i + 1}</span>
                </button>
              </div>
            </li>
          ))}
        </ol>
        {values.images.length < MAX_IMAGES ? (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => set('images', [...values.images, { url: '', altText: '' }])}
          >
            + Add an image by URL
          </button>
        ) : null}
      </fieldset>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Saving…' : mode === 'create' ? 'Create product' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}
