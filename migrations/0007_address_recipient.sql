ALTER TABLE "user_addresses" ADD COLUMN "recipient_name" varchar(100);--> statement-breakpoint
ALTER TABLE "user_addresses" ADD COLUMN "phone" varchar(20);