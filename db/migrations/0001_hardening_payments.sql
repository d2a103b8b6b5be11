CREATE TABLE "signup_pending" (
	"custnum" integer PRIMARY KEY NOT NULL,
	"payunique" varchar(80) NOT NULL,
	"signup_key_hash" varchar(64) NOT NULL,
	"contactnum" integer,
	"svcnum" integer,
	"svc_credential" varchar(512),
	"detail" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "test_gateway_charge" (
	"reference" varchar(80) PRIMARY KEY NOT NULL,
	"amount" numeric(10,2) NOT NULL,
	"status" varchar(16) NOT NULL,
	"auth_code" varchar(16),
	"order_number" varchar(256),
	"message" text,
	"failure_status" varchar(16),
	"timed_out" char(1),
	"voided" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "test_gateway_charge_status" CHECK ("test_gateway_charge"."status" IN ('approved','declined','error'))
);
--> statement-breakpoint
ALTER TABLE "signup_pending" ADD CONSTRAINT "signup_pending_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "signup_pending_payunique" ON "signup_pending" USING btree ("payunique");--> statement-breakpoint
CREATE UNIQUE INDEX "signup_pending_key" ON "signup_pending" USING btree ("signup_key_hash");