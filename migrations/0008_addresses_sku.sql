ALTER TABLE "products" ADD COLUMN "sku" varchar(64);--> statement-breakpoint
ALTER TABLE "user_addresses" ADD COLUMN "recipient_name" varchar(100);--> statement-breakpoint
ALTER TABLE "user_addresses" ADD COLUMN "phone" varchar(20);--> statement-breakpoint
CREATE UNIQUE INDEX "products_seller_sku_key" ON "products" USING btree ("seller_id","sku") WHERE "products"."sku" is not null;