/**
 * Names for the wire types of the `/api/v1` resources the SPA reads and sends. Every type is an alias into
 * `openapi.gen.ts`, generated from the Worker's OpenAPI document (`npm run gen:api-types`), so a change to a server
 * schema shows up here as a type error instead of a silent drift. Never declare a shape by hand here:
 * name the server schema (`.openapi('Name')`) or reach it through `paths`.
 * Field names are the wire's, as generated (casing: docs/architecture.md, "Wire casing").
 */
import type { components, paths } from '@/types/openapi.gen';

type Schemas = components['schemas'];

/** The query string a `GET` operation accepts, as the server validates it. */
type QueryOf<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

export type UserRole = Schemas['UserSummary']['role'];

// ── Auth ─────────────────────────────────────────────────────────────────────────────────────────────────────────────
export type RegisterInput = Schemas['RegisterRequest'];
export type RegisteredUser = Schemas['UserSummary'];
export type LoginInput = Schemas['LoginRequest'];
export type MessageResponse = Schemas['Message'];
/** The `data` of `POST /auth/login` and `POST /auth/refresh`. */
export type TokenSession = Schemas['TokenResponse'];

// ── Users ────────────────────────────────────────────────────────────────────────────────────────────────────────────
export type Address = Schemas['Address'];
export type AddressInput = Schemas['AddressRequest'];
export type UserProfile = Schemas['Profile'];
export type ProfileInput = Schemas['UpdateProfileRequest'];
export type SellerCard = Schemas['SellerCard'];

// ── Catalog ──────────────────────────────────────────────────────────────────────────────────────────────────────────
export type Category = Schemas['Category'];
export type ProductStatus = Schemas['ProductSummary']['status'];
/** `ALL` is the owner's "any status" filter on `GET /products`. */
export type ProductStatusFilter = NonNullable<ProductListQuery['status']>;
export type ProductListQuery = QueryOf<'/api/v1/products'>;
export type ProductSearchQuery = QueryOf<'/api/v1/products/search'>;
export type SmartSearchQuery = QueryOf<'/api/v1/products/ai-search'>;
export type ProductSummary = Schemas['ProductSummary'];
export type ProductImage = Schemas['ProductImage'];
export type ProductDetail = Schemas['ProductDetail'];
/** A product's launch (`GET /products/{id}/launch`); buying it needs an admission from its waiting room. */
export type Launch = Schemas['Launch'];
export type LaunchInput = Schemas['PutLaunch'];
export type WaitingRoomTicket = Schemas['WaitingRoomTicket'];
export type CreateProductInput = Schemas['CreateProduct'];
export type ProductImageInput = NonNullable<CreateProductInput['images']>[number];
export type UpdateProductInput = Schemas['UpdateProduct'];
/** `mode` echoes the requested one, or is `fallback-keyword` when the embedder was unavailable. */
export type AiSearchResult = Schemas['AiSearchResult'];
/** `GET /products/suggest`: up to 8 categories and products for what has been typed so far. */
export type SuggestResult = Schemas['SuggestResult'];
export type Suggestion = Schemas['Suggestion'];
export type Review = Schemas['Review'];
/** A review in a product's public list: the author by display name, not by account id. */
export type PublicReview = Schemas['PublicReview'];
export type ReviewInput = Schemas['CreateReview'];

// ── Cart ─────────────────────────────────────────────────────────────────────────────────────────────────────────────
export type CartItem = Schemas['CartItem'];
export type Cart = Schemas['Cart'];

// ── Orders, notifications ────────────────────────────────────────────────────────────────────────────────────────────
export type OrderStatus = Schemas['Order']['status'];
export type OrderListQuery = QueryOf<'/api/v1/orders'>;
export type ShippingAddress = Schemas['ShippingAddress'];
export type ShippingAddressInput = Schemas['ShippingAddressInput'];
export type Country = Schemas['Country'];
export type OrderItem = Schemas['OrderItem'];
export type Order = Schemas['Order'];
/** A line of the buyer's list (`GET /orders`). */
export type OrderSummary = Schemas['OrderSummary'];
/** A line of the seller's list (`GET /orders/seller`): the buyer's summary plus who bought. */
export type SellerOrderSummary = Schemas['SellerOrderSummary'];
export type CreateOrderInput = Schemas['CreateOrder'];
export type OrderHistoryEntry = Schemas['OrderHistoryEntry'];
export type Notification = Schemas['Notification'];
export type NotificationFeed = Schemas['NotificationList'];

/** `meta` of a paginated list: 1-based `page`. */
export type PageMeta = Schemas['PageMeta'];

// ── Payments ─────────────────────────────────────────────────────────────────────────────────────────────────────────
export type PaymentStatus = Schemas['Payment']['status'];
export type Payment = Schemas['Payment'];

// ── Operator console ─────────────────────────────────────────────────────────────────────────────────────────────────
export type AdminSummary = Schemas['AdminSummary'];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditLogQuery = QueryOf<'/api/v1/admin/audit-log'>;
export type AdminOrderSummary = Schemas['AdminOrderSummary'];
export type AdminOrderQuery = QueryOf<'/api/v1/admin/orders'>;
export type AdminOrderDetail = Schemas['AdminOrderDetail'];
export type AdminUser = Schemas['AdminUser'];
export type AdminUserQuery = QueryOf<'/api/v1/admin/users'>;
export type DeadLetter = Schemas['DeadLetter'];
export type SagaCounts = Schemas['SagaCounts'];

// ── Marketplace checkout, shipping, earnings ─────────────────────────────────────────────────────────────────────────
export type Totals = Schemas['Totals'];
export type Checkout = Schemas['Checkout'];
export type CheckoutStatus = Schemas['Checkout']['status'];
export type CreateCheckoutInput = Schemas['CreateCheckout'];
export type ShippingOption = Schemas['ShippingOption'];
export type ShippingOptionInput = Schemas['CreateShippingOption'];
export type SellerBalance = Schemas['SellerBalance'];
export type LedgerEntry = Schemas['LedgerEntry'];
export type Payout = Schemas['Payout'];
export type UploadedImage = Schemas['UploadedImage'];

// ── Returns ──────────────────────────────────────────────────────────────────────────────────────────────────────────
export type Return = Schemas['Return'];
export type ReturnStatus = Schemas['Return']['status'];
export type ReturnListItem = Schemas['ReturnListItem'];
export type ReturnSummary = Schemas['ReturnSummary'];
export type CreateReturnInput = Schemas['CreateReturn'];
export type ReturnListQuery = QueryOf<'/api/v1/returns'>;
export type ReturnPolicy = Schemas['ReturnPolicy'];

// ── Promotions and tax ───────────────────────────────────────────────────────────────────────────────────────────────
export type CheckoutPreview = Schemas['CheckoutPreview'];
export type CheckoutPreviewInput = Schemas['CheckoutPreviewRequest'];
export type Promotion = Schemas['Promotion'];
export type PromotionInput = Schemas['CreatePromotion'];
export type PromotionUpdate = Schemas['UpdatePromotion'];
export type TaxRate = Schemas['TaxRate'];
export type TaxRateInput = Schemas['CreateTaxRate'];
export type OrderRefund = Schemas['OrderRefund'];
export type SavedPaymentMethod = Schemas['SavedPaymentMethod'];
