import { useMutation, useQueryClient } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';
import { toast } from '@/stores/toast-store';
import type { CreateProductInput, ProductDetail, UpdateProductInput } from '@/types/api';

/** `POST /products` (seller): created ACTIVE. */
export const createProduct = (input: CreateProductInput) => dataOf(client.POST('/products', { body: input }));

/** `PUT /products/:id`: partial update; `version` makes a stale edit fail with 409 CONCURRENT_MODIFICATION. */
export const updateProduct = ({ id, input }: { id: number; input: UpdateProductInput }) =>
  dataOf(client.PUT('/products/{id}', { params: { path: { id } }, body: input }));

/** `DELETE /products/:id`: soft delete (status DELETED). */
export const deleteProduct = (id: number) => dataOf(client.DELETE('/products/{id}', { params: { path: { id } } }));

/** `POST /categories` (seller/admin): the server derives a unique slug. */
export const createCategory = (name: string) => dataOf(client.POST('/categories', { body: { name } }));

// Every product list and detail may show the changed product.
const useInvalidateProducts = () => {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['products'] });
};

export function useCreateProduct({ onSuccess }: { onSuccess?: (product: ProductDetail) => void } = {}) {
  const invalidate = useInvalidateProducts();
  return useMutation({
    mutationFn: createProduct,
    meta: { errorToast: false },
    onSuccess: (product) => {
      void invalidate();
      toast.success(`“${product.name}” is now listed.`);
      onSuccess?.(product);
    },
  });
}

export function useUpdateProduct({ onSuccess }: { onSuccess?: (product: ProductDetail) => void } = {}) {
  const invalidate = useInvalidateProducts();
  return useMutation({
    mutationFn: updateProduct,
    meta: { errorToast: false },
    onSuccess: (product) => {
      void invalidate();
      toast.success(`“${product.name}” saved.`);
      onSuccess?.(product);
    },
  });
}

export function useDeleteProduct() {
  const invalidate = useInvalidateProducts();
  return useMutation({
    mutationFn: deleteProduct,
    onSuccess: () => toast.success('Product deleted.'),
    onSettled: () => invalidate(),
  });
}

export function useCreateCategory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createCategory,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['categories'] }),
  });
}
