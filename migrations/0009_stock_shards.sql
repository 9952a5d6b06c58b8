ALTER TABLE "products" ADD COLUMN "stock_shards" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "stock_shard_mirror" jsonb;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_stock_shards_check" CHECK ("products"."stock_shards" between 1 and 32);