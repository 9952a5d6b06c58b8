CREATE TABLE "simulated_payment_intents" (
	"id" varchar(64) PRIMARY KEY NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount_cents" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"status" varchar(32) DEFAULT 'requires_payment_method' NOT NULL,
	"client_secret" varchar(128) NOT NULL,
	"metadata" jsonb NOT NULL,
	"last_error" varchar(64),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "simulated_payment_intents_paymentId_unique" UNIQUE("payment_id"),
	CONSTRAINT "simulated_payment_intents_amount_check" CHECK ("simulated_payment_intents"."amount_cents" > 0)
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "confirmation" varchar(16) DEFAULT 'off_session' NOT NULL;--> statement-breakpoint
CREATE INDEX "simulated_payment_intents_status_idx" ON "simulated_payment_intents" USING btree ("status","updated_at");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_confirmation_check" CHECK ("payments"."confirmation" in ('off_session', 'client'));