CREATE TABLE "launches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"product_id" bigint NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"admit_per_second" integer NOT NULL,
	"per_client_limit" integer NOT NULL,
	"max_quantity" integer NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "launches_productId_unique" UNIQUE("product_id"),
	CONSTRAINT "launches_rate_positive" CHECK ("launches"."admit_per_second" > 0),
	CONSTRAINT "launches_client_limit_positive" CHECK ("launches"."per_client_limit" > 0),
	CONSTRAINT "launches_max_quantity_positive" CHECK ("launches"."max_quantity" > 0)
);
--> statement-breakpoint
ALTER TABLE "checkouts" DROP CONSTRAINT "checkouts_total_check";--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_breakdown_check";--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "tax_included" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tax_included" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "launches" ADD CONSTRAINT "launches_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "launches_ends_at_idx" ON "launches" USING btree ("ends_at");--> statement-breakpoint
ALTER TABLE "checkouts" ADD CONSTRAINT "checkouts_total_check" CHECK ("checkouts"."total_cents" = "checkouts"."subtotal_cents" + "checkouts"."shipping_cents" - "checkouts"."discount_cents" + case when "checkouts"."tax_included" then 0 else "checkouts"."tax_cents" end and "checkouts"."total_cents" > 0);--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_breakdown_check" CHECK ("orders"."total_cents" = "orders"."subtotal_cents" + "orders"."shipping_cents" - "orders"."discount_cents" + case when "orders"."tax_included" then 0 else "orders"."tax_cents" end);