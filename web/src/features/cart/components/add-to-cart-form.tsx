import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';

import { QuantityStepper } from '@/components/ui/quantity-stepper';
import { type AddToCartInput, useAddToCart } from '@/features/cart/api/add-to-cart';
import { canShop, useCurrentUser, useIsAuthenticated } from '@/stores/auth-store';

const MAX_LINE_QUANTITY = 999;

interface AddToCartFormProps {
  productId: number;
  product: AddToCartInput['product'];
}

/** Quantity stepper clamped to available stock + Add to Cart; guests are sent to log in first. */
export function AddToCartForm({ productId, product }: AddToCartFormProps) {
  const [quantity, setQuantity] = useState(1);
  const isAuthenticated = useIsAuthenticated();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [params, setParams] = useSearchParams();
  const add = useAddToCart();
  const max = Math.min(product.stockAvailable, MAX_LINE_QUANTITY);
  const outOfStock = max <= 0;
  const ownProduct = user?.id === product.sellerId;

  const onAdd = () => {
    if (!isAuthenticated) {
      // The press is remembered in the way back (`?add=2`), so signing in (or up) finishes it.
      void navigate(`/login?${new URLSearchParams({ next: `${pathname}?${new URLSearchParams({ add: String(Math.min(quantity, max)) }).toString()}` }).toString()}`);
      return;
    }
    add.mutate({ productId, quantity: Math.min(quantity, max), product });
  };

  // Back from signing in with an add to finish: do it once, then drop it from the address (a reload must not repeat it).
  const intended = Number(params.get('add'));
  const finished = useRef(false);
  useEffect(() => {
    if (!params.has('add') || finished.current || !user) return;
    finished.current = true;
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete('add');
        return next;
      },
      { replace: true },
    );
    if (canShop(user.role) && user.id !== product.sellerId && Number.isInteger(intended) && intended > 0 && max > 0) {
      add.mutate({ productId, quantity: Math.min(intended, max), product });
    }
  }, [params, setParams, user, intended, max, add, productId, product]);

  if (user && !canShop(user.role)) {
    return <p className="form__note">Admin accounts can’t buy. Log in with a customer or seller account to add this to a cart.</p>;
  }

  return (
    <div className="product-info__buy">
      {!outOfStock ? (
        <QuantityStepper label="Quantity" value={Math.min(quantity, max)} max={max} onChange={setQuantity} disabled={add.isPending} />
      ) : null}
      <button
        type="button"
        className="button button--primary button--large"
        onClick={onAdd}
        disabled={outOfStock || add.isPending}
      >
        {outOfStock ? 'Out of stock' : add.isPending ? 'Adding…' : 'Add to Cart'}
      </button>
      {ownProduct ? <p className="form__note">This is one of your products.</p> : null}
    </div>
  );
}
