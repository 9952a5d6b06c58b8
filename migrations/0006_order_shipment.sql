ALTER TABLE "orders" ADD COLUMN "shipment_carrier" varchar(40);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tracking_number" varchar(40);