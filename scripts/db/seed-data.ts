/** Sample users and catalog: fixed ids so scripts and tests can address them. */

export const SAMPLE_USERS = [
  { id: '00000000-0000-0000-0000-000000000001', email: 'admin@example.com', password: 'Admin@123', role: 'admin', firstName: 'Admin', lastName: 'User' },
  { id: '00000000-0000-0000-0000-000000000002', email: 'customer@example.com', password: 'Customer@123', role: 'customer', firstName: 'John', lastName: 'Doe' },
  { id: '00000000-0000-0000-0000-000000000003', email: 'seller@example.com', password: 'Seller@123', role: 'seller', firstName: 'Jane', lastName: 'Smith' },
  { id: '00000000-0000-0000-0000-000000000004', email: 'outdoors.seller@example.com', password: 'Seller@123', role: 'seller', firstName: 'Sam', lastName: 'Rivera' },
] as const;

/**
 * Each sample customer's saved test card at the simulated provider (`4242…`, succeeds), their default: an order placed
 * without a payment step (`POST /orders`, the original scripts) is charged off-session against it.
 */
export const SAMPLE_SAVED_CARDS = SAMPLE_USERS.filter((user) => user.role === 'customer').map((user, index) => ({
  userId: user.id,
  customerId: `cus_sim_seed${index + 1}`,
  paymentMethodId: `pm_sim_seed${index + 1}`,
  last4: '4242',
}));

export const SELLER_PROFILES = [
  { userId: SAMPLE_USERS[2].id, displayName: 'Jane\u2019s General Store', bio: 'Electronics, home, fashion, books and beauty, shipped fast.' },
  { userId: SAMPLE_USERS[3].id, displayName: 'Rivera Outdoors', bio: 'Gear for training, camping and the trail.' },
];

export const CATEGORIES = [
  { id: 1, name: 'Electronics', slug: 'electronics' },
  { id: 2, name: 'Computers & Accessories', slug: 'computers-accessories' },
  { id: 3, name: 'Home & Kitchen', slug: 'home-kitchen' },
  { id: 4, name: 'Clothing', slug: 'clothing' },
  { id: 5, name: 'Footwear', slug: 'footwear' },
  { id: 6, name: 'Books', slug: 'books' },
  { id: 7, name: 'Sports & Outdoors', slug: 'sports-outdoors' },
  { id: 8, name: 'Beauty & Personal Care', slug: 'beauty-personal-care' },
] as const;

/** [id, categoryId, name, price (dollars), stock, description] */
type Row = readonly [number, number, string, number, number, string];

const ROWS: readonly Row[] = [
  [1, 1, 'Aurora ANC Wireless Headphones', 149, 1000, 'Over-ear hybrid noise cancelling, 40 h battery, USB-C fast charge, multipoint Bluetooth 5.3'],
  [2, 1, 'Pulse Mini True-Wireless Earbuds', 59, 600, 'IPX5 sweat-proof buds, 6 h + 24 h case, touch controls, low-latency game mode'],
  [3, 1, 'Lumen 6.1" 5G Smartphone 128 GB', 429, 300, '120 Hz OLED, 50 MP dual camera, 4500 mAh, three years of OS updates'],
  [4, 1, 'Tempo GPS Fitness Smartwatch', 129, 400, 'Heart-rate and SpO2, built-in GPS, sleep tracking, 7-day battery, 5 ATM'],
  [5, 1, 'Beacon Waterproof Bluetooth Speaker', 79, 500, '20 W stereo, IP67, 15 h playtime, pair two speakers for party mode'],
  [6, 2, 'Nimbus 14" Ultrabook 16 GB / 512 GB', 999, 200, '8-core CPU, 2.8K display, 1.2 kg aluminium body, 14 h battery'],
  [7, 2, 'Keystone TKL Mechanical Keyboard', 89, 400, 'Hot-swap tactile switches, PBT keycaps, RGB, detachable USB-C cable'],
  [8, 2, 'Glide Vertical Wireless Mouse', 39, 800, 'Ergonomic vertical grip, 4000 DPI, silent clicks, Bluetooth + 2.4 GHz'],
  [9, 2, 'ClearView 27" 4K IPS Monitor', 329, 250, '99 % sRGB, HDR400, USB-C 65 W charging, height-adjustable stand'],
  [10, 2, 'Hubline 8-in-1 USB-C Hub', 45, 900, '4K HDMI, 100 W pass-through, SD/microSD, gigabit Ethernet, 2× USB-A'],
  [11, 3, 'BrewWell 12-Cup Programmable Coffee Maker', 69, 150, 'Thermal carafe, 24 h timer, brew-strength control, auto shut-off'],
  [12, 3, 'CrispAir 5.5 L Digital Air Fryer', 99, 120, 'Eight presets, dishwasher-safe basket, up to 200 °C, little or no oil'],
  [13, 3, 'Forge 26 cm Cast-Iron Skillet', 39, 200, 'Pre-seasoned, oven-safe to 260 °C, works on gas, electric and induction'],
  [14, 3, 'Edge 8" Chef\u2019s Knife', 59, 180, 'Forged stainless steel, full tang, ergonomic handle, blade guard'],
  [15, 3, 'Bamboo Cutting Board Set (3 pcs)', 29, 300, 'Juice grooves, non-slip feet, small/medium/large boards'],
  [16, 4, 'Classic Oxford Button-Down Shirt', 45, 250, '100 % cotton, regular fit, wrinkle-resistant, sizes S–XXL'],
  [17, 4, 'Stretch Slim-Fit Chinos', 55, 220, 'Cotton-elastane twill, tapered leg, khaki / navy / olive'],
  [18, 4, 'Merino Crew-Neck Sweater', 89, 120, 'Extra-fine merino, itch-free, machine washable on wool cycle'],
  [19, 4, 'Packable Recycled Puffer Jacket', 119, 100, 'Water-repellent shell, recycled fill, packs into its own pocket'],
  [20, 4, 'High-Rise Yoga Leggings', 49, 260, 'Four-way stretch, moisture-wicking, side phone pocket, 7/8 length'],
  [21, 5, 'Stride Cushioned Road Running Shoe', 109, 180, 'Breathable mesh, responsive foam midsole, 8 mm drop, for long runs'],
  [22, 5, 'Trailhead Waterproof Hiking Boot', 139, 120, 'Waterproof membrane, lugged rubber outsole, padded ankle support'],
  [23, 5, 'Everyday Canvas Sneaker', 49, 300, 'Cotton canvas upper, vulcanised sole, cushioned insole'],
  [24, 5, 'Leather Chelsea Boot', 129, 90, 'Full-grain leather, elastic side panels, stacked heel'],
  [25, 5, 'Recovery Slide Sandals', 29, 250, 'Contoured foam footbed, quick-dry, non-slip sole'],
  [26, 6, 'The Pragmatic Backend (paperback)', 42, 200, 'Patterns for reliable services: idempotency, retries, outbox; 420 pages'],
  [27, 6, 'Distributed Systems Field Guide', 48, 150, 'Consensus, replication and failure modes with diagrams; 512 pages'],
  [28, 6, 'TypeScript from First Principles', 36, 220, 'Types, generics, narrowing and tooling with exercises; 360 pages'],
  [29, 6, 'The Lighthouse Keeper\u2019s Daughter (novel)', 16, 300, 'Literary mystery on a storm-bound island; 320 pages'],
  [30, 6, 'Salt & Ember: A Home Cook\u2019s Grill Book', 29, 140, '90 charcoal and gas grill recipes with technique primers'],
  [31, 7, 'Adjustable Dumbbell Pair 2–24 kg', 299, 60, 'Dial selector, 15 weight settings, compact storage tray'],
  [32, 7, 'Non-Slip TPE Yoga Mat 6 mm', 35, 300, 'Double-sided texture, alignment lines, carry strap'],
  [33, 7, 'Summit 2-Person Backpacking Tent', 189, 70, '1.9 kg freestanding double-wall tent, 3000 mm waterproof fly'],
  [34, 7, 'Alpine 0 °C Down Sleeping Bag', 159, 80, '650-fill down, mummy shape, compression sack'],
  [35, 7, 'Insulated Steel Water Bottle 1 L', 29, 500, 'Cold 24 h / hot 12 h, leak-proof lid, BPA-free'],
  [36, 8, 'Vitamin C Brightening Serum 30 ml', 24, 400, '15 % vitamin C with vitamin E and ferulic acid, fragrance-free'],
  [37, 8, 'Hyaluronic Daily Gel Moisturizer 50 ml', 19, 400, 'Lightweight gel-cream with ceramides for sensitive skin'],
  [38, 8, 'Mineral Sunscreen SPF 50', 18, 350, 'Zinc oxide, broad spectrum, water resistant 80 min, no white cast'],
  [39, 8, 'Sonic Rechargeable Toothbrush', 49, 200, 'Three modes, 2-minute timer, 30-day battery, two brush heads'],
  [40, 8, 'Argan Repair Shampoo & Conditioner Set', 27, 250, 'Sulphate-free, colour-safe, 2 × 400 ml'],
];

/** Products 31–35 belong to the second seller, so per-seller checkout has something to group. */
const sellerFor = (id: number) => (id >= 31 && id <= 35 ? SAMPLE_USERS[3].id : SAMPLE_USERS[2].id);

const productImageUrl = (id: number, n: 1 | 2) => `/images/products/p${id}-${n}.svg`;

export const PRODUCTS = ROWS.map(([id, categoryId, name, price, stock, description]) => ({
  id,
  categoryId,
  name,
  description,
  priceCents: price * 100,
  stockQuantity: stock,
  sellerId: sellerFor(id),
  images: (id % 2 === 0 ? ([1, 2] as const) : ([1] as const)).map((n, index) => ({
    url: productImageUrl(id, n),
    altText: n === 1 ? name : `${name}, second view`,
    sortOrder: index,
  })),
}));

/**
 * Sample promotions and tax rates (docs/decisions/promotions.md). Codes only — an automatic promotion would change
 * every seeded total — and rates only for countries no test or benchmark ships to (they use Vietnam and US).
 */
export const SAMPLE_PROMOTIONS = [
  { code: 'WELCOME10', name: 'Welcome: 10 % off your order', type: 'percentage' as const, value: 1000, scope: 'order' as const, sellerId: null, fundedBy: 'platform' as const, createdBy: '00000000-0000-0000-0000-000000000001' },
  {
    code: 'JANE5',
    name: "5.00 off Jane's shop over 30.00",
    type: 'fixed' as const,
    value: 500,
    scope: 'seller' as const,
    sellerId: '00000000-0000-0000-0000-000000000003',
    minSubtotalCents: 3000,
    fundedBy: 'seller' as const,
    createdBy: '00000000-0000-0000-0000-000000000003',
  },
];

export const SAMPLE_TAX_RATES = [
  { country: 'DE', region: null, categoryId: null, appliesTo: 'goods' as const, ratePpm: 190_000, name: 'Germany VAT' },
  { country: 'DE', region: null, categoryId: 6, appliesTo: 'goods' as const, ratePpm: 70_000, name: 'Germany VAT, books' },
  { country: 'DE', region: null, categoryId: null, appliesTo: 'shipping' as const, ratePpm: 190_000, name: 'Germany VAT, shipping' },
  { country: 'GB', region: null, categoryId: null, appliesTo: 'goods' as const, ratePpm: 200_000, name: 'UK VAT' },
];
