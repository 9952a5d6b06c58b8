ALTER TABLE "checkouts" DROP CONSTRAINT "checkouts_total_check";--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_breakdown_check";--> statement-breakpoint
ALTER TABLE "checkouts" ADD COLUMN "tax_included" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tax_included" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "checkouts" ADD CONSTRAINT "checkouts_total_check" CHECK ("checkouts"."total_cents" = "checkouts"."subtotal_cents" + "checkouts"."shipping_cents" - "checkouts"."discount_cents" + case when "checkouts"."tax_included" then 0 else "checkouts"."tax_cents" end and "checkouts"."total_cents" > 0);--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_breakdown_check" CHECK ("orders"."total_cents" = "orders"."subtotal_cents" + "orders"."shipping_cents" - "orders"."discount_cents" + case when "orders"."tax_included" then 0 else "orders"."tax_cents" end);