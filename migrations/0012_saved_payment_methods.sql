CREATE TABLE "payment_customers" (
	"user_id" uuid NOT NULL,
	"provider" varchar(16) NOT NULL,
	"customer_id" varchar(100) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_customers_user_id_provider_pk" PRIMARY KEY("user_id","provider"),
	CONSTRAINT "payment_customers_customerId_unique" UNIQUE("customer_id")
);
--> statement-breakpoint
CREATE TABLE "saved_payment_methods" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"provider" varchar(16) NOT NULL,
	"customer_id" varchar(100) NOT NULL,
	"provider_method_id" varchar(100) NOT NULL,
	"brand" varchar(32) NOT NULL,
	"last4" char(4) NOT NULL,
	"exp_month" integer NOT NULL,
	"exp_year" integer NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_payment_methods_providerMethodId_unique" UNIQUE("provider_method_id")
);
--> statement-breakpoint
CREATE TABLE "simulated_payment_methods" (
	"id" varchar(64) PRIMARY KEY NOT NULL,
	"customer_id" varchar(100),
	"brand" varchar(32) NOT NULL,
	"last4" char(4) NOT NULL,
	"exp_month" integer NOT NULL,
	"exp_year" integer NOT NULL,
	"behaviour" varchar(32) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "simulated_setup_intents" (
	"id" varchar(64) PRIMARY KEY NOT NULL,
	"customer_id" varchar(100) NOT NULL,
	"status" varchar(32) DEFAULT 'requires_payment_method' NOT NULL,
	"client_secret" varchar(128) NOT NULL,
	"payment_method_id" varchar(64),
	"pending_card" varchar(32),
	"metadata" jsonb NOT NULL,
	"last_error" varchar(64),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payment_customers" ADD CONSTRAINT "payment_customers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_payment_methods" ADD CONSTRAINT "saved_payment_methods_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "saved_payment_methods_user_idx" ON "saved_payment_methods" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "saved_payment_methods_default_key" ON "saved_payment_methods" USING btree ("user_id") WHERE "saved_payment_methods"."is_default";