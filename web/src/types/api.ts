/**
 * Wire types of the `/api/v1` resources the SPA reads, written from SPEC §3 while the API is built on other
 * branches. Declared once here so that replacing them with types generated from `/api/openapi.json` touches one
 * file. Casing follows the wire: auth/users/cart are snake_case, catalog/orders/payments/notifications camelCase.
 */

export type UserRole = 'customer' | 'seller' | 'admin';

// ── Auth (snake_case) ────────────────────────────────────────────────────────────────────────────────────────────
export interface RegisterInput {
  email: string;
  password: string;
  first_name: string;
  last_name: string;
}

export interface RegisteredUser {
  id: string;
  email: string;
  role: UserRole;
  first_name: string;
  last_name: string;
}

export interface LoginInput {
  email: string;
  password: string;
}

export interface MessageResponse {
  message: string;
}

// ── Users (snake_case, except the public seller card) ────────────────────────────────────────────────────────────
export interface Address {
  id: string;
  label: string | null;
  address_line1: string;
  address_line2: string | null;
  city: string;
  state: string | null;
  country: string;
  postal_code: string | null;
  is_default: boolean;
}

export type AddressInput = Omit<Address, 'id' | 'is_default'>;

export interface UserProfile {
  id: string;
  email: string;
  role: UserRole;
  first_name: string;
  last_name: string;
  phone: string | null;
  avatar_url: string | null;
  addresses: Address[];
}

export interface ProfileInput {
  first_name: string;
  last_name: string;
  phone: string | null;
}

export interface SellerCard {
  id: string;
  firstName: string;
  lastName: string;
  avatarUrl: string | null;
  createdAt: string;
}

// ── Catalog (camelCase) ──────────────────────────────────────────────────────────────────────────────────────────
export interface Category {
  id: number;
  name: string;
  slug: string;
  parentId: number | null;
  sortOrder: number;
}

export type ProductStatus = 'ACTIVE' | 'INACTIVE' | 'DELETED';

/** `ALL` is the owner's "any status" filter on `GET /products`. */
export type ProductStatusFilter = ProductStatus | 'ALL';

export interface ProductSummary {
  id: number;
  name: string;
  price: number;
  categoryId: number | null;
  categoryName: string | null;
  sellerId: string;
  status: ProductStatus;
  stockAvailable: number;
  stockReserved: number;
  soldCount: number;
  thumbnailUrl: string | null;
  avgRating: number | null;
  ratingCount: number;
  createdAt: string;
}

export interface ProductImage {
  id: number;
  url: string;
  altText: string | null;
  sortOrder: number;
}

export interface ProductDetail extends ProductSummary {
  description: string | null;
  stockQuantity: number;
  version: number;
  images: ProductImage[];
  updatedAt: string;
}

export interface ProductImageInput {
  url: string;
  altText?: string | undefined;
  sortOrder: number;
}

export interface CreateProductInput {
  name: string;
  description?: string | undefined;
  price: number;
  categoryId?: number | null | undefined;
  stockQuantity: number;
  images: ProductImageInput[];
}

export interface UpdateProductInput extends Partial<Omit<CreateProductInput, 'stockQuantity'>> {
  stockDelta?: number | undefined;
  status?: ProductStatus | undefined;
  version?: number | undefined;
}

/** `mode` echoes the requested one, or is `fallback-keyword` when the embedder was unavailable. */
export interface AiSearchResult {
  query: string;
  results: ProductSummary[];
  scores: number[] | null;
  mode: 'ai' | 'hybrid' | 'keyword' | 'fallback-keyword';
}

export interface Review {
  id: number;
  productId: number;
  customerId: string;
  orderItemId: string;
  rating: number;
  comment: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReviewInput {
  orderItemId: string;
  rating: number;
  comment?: string | undefined;
}

// ── Cart (snake_case) ────────────────────────────────────────────────────────────────────────────────────────────
export interface CartItem {
  product_id: number;
  product_name: string;
  quantity: number;
  unit_price: number;
  subtotal: number;
  seller_id: string;
  image_url: string | null;
  stock_available: number;
  price_changed: boolean;
}

export interface Cart {
  user_id: string;
  status: 'ACTIVE';
  items: CartItem[];
  total: number;
  updated_at: string | null;
}

// ── Orders, notifications (camelCase) ────────────────────────────────────────────────────────────────────────────
export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';

export interface ShippingAddress {
  street: string;
  city: string;
  state: string;
  country: string;
  zipCode: string;
}

export interface OrderItem {
  id: string;
  productId: number;
  productName: string;
  quantity: number;
  unitPrice: number;
  subtotal: number;
  imageUrl: string | null;
}

export interface Order {
  id: string;
  userId: string;
  sellerId: string;
  cartId: string | null;
  totalAmount: number;
  currency?: string;
  status: OrderStatus;
  cancelReason?: string | null;
  paymentId?: string | null;
  shippingAddress: ShippingAddress;
  items: OrderItem[];
  createdAt: string;
  updatedAt: string;
}

export interface OrderSummary {
  id: string;
  totalAmount: number;
  status: OrderStatus;
  itemCount: number;
  sellerId: string;
  /** Present on the seller's list (`GET /orders/seller`): the buyer. */
  userId?: string;
  createdAt: string;
}

export interface CreateOrderInput {
  cartId?: string | undefined;
  items: { productId: number; quantity: number }[];
  shippingAddress: ShippingAddress;
}

export interface OrderHistoryEntry {
  id: number;
  oldStatus: OrderStatus | null;
  newStatus: OrderStatus;
  reason: string | null;
  changedBy: string;
  changedAt: string;
}

export interface Notification {
  id: string;
  orderId: string | null;
  productId: number | null;
  title: string;
  body: string | null;
  isRead: boolean;
  createdAt: string;
}

export interface NotificationFeed {
  unreadCount: number;
  items: Notification[];
}

// ── Payments (camelCase) ─────────────────────────────────────────────────────────────────────────────────────────
export type PaymentStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'REFUNDED';

export interface Payment {
  id: string;
  orderId: string;
  userId: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  method: string;
  gatewayReference: string | null;
  createdAt: string;
}
