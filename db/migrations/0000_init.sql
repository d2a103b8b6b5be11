CREATE TABLE "agent" (
	"agentnum" serial PRIMARY KEY NOT NULL,
	"agent" varchar(80) NOT NULL,
	"typenum" integer NOT NULL,
	"disabled" char(1),
	"username" varchar(80),
	"_password" varchar(512),
	"agent_custnum" integer,
	"invoice_template" varchar(80),
	"signup_default" char(1),
	"signup_key" varchar(64),
	"embed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"company_name" varchar(120),
	"company_address" text,
	"support_email" varchar(120),
	"support_phone" varchar(40),
	"brand_color" varchar(7),
	"logo_url" varchar(300)
);
--> statement-breakpoint
CREATE TABLE "agent_type" (
	"typenum" serial PRIMARY KEY NOT NULL,
	"atype" varchar(80) NOT NULL,
	"disabled" char(1)
);
--> statement-breakpoint
CREATE TABLE "contact" (
	"contactnum" serial PRIMARY KEY NOT NULL,
	"custnum" integer NOT NULL,
	"locationnum" integer,
	"first" varchar(80) NOT NULL,
	"last" varchar(80) NOT NULL,
	"title" varchar(80),
	"comment" varchar(255),
	"selfservice_access" char(1),
	"_password" varchar(512),
	"_password_encoding" varchar(80),
	"disabled" char(1),
	"invoice_dest" char(1)
);
--> statement-breakpoint
CREATE TABLE "contact_email" (
	"contactemailnum" serial PRIMARY KEY NOT NULL,
	"contactnum" integer NOT NULL,
	"emailaddress" varchar(80) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cust_location" (
	"locationnum" serial PRIMARY KEY NOT NULL,
	"custnum" integer,
	"locationname" varchar(80),
	"address1" varchar(80) NOT NULL,
	"address2" varchar(80),
	"city" varchar(80),
	"county" varchar(80),
	"state" varchar(80),
	"zip" varchar(10),
	"country" char(2) NOT NULL,
	"latitude" numeric(10, 7),
	"longitude" numeric(10, 7),
	"district" varchar(20),
	"disabled" char(1)
);
--> statement-breakpoint
CREATE TABLE "cust_main" (
	"custnum" serial PRIMARY KEY NOT NULL,
	"agentnum" integer NOT NULL,
	"agent_custid" varchar(80),
	"first" varchar(80) NOT NULL,
	"last" varchar(160) NOT NULL,
	"company" varchar(80),
	"ss" varchar(11),
	"stateid" varchar(80),
	"stateid_state" varchar(80),
	"daytime" varchar(20),
	"night" varchar(20),
	"fax" varchar(20),
	"mobile" varchar(20),
	"signupdate" timestamp with time zone DEFAULT now() NOT NULL,
	"bill_locationnum" integer,
	"ship_locationnum" integer,
	"referral_custnum" integer,
	"comments" text,
	"tax" char(1),
	"locale" varchar(16),
	"postal_invoice" char(1),
	"complimentary" char(1),
	"po_number" varchar(80),
	"invoice_terms" varchar(80),
	"credit_limit" numeric(10,2)
);
--> statement-breakpoint
CREATE TABLE "cust_main_county" (
	"taxnum" serial PRIMARY KEY NOT NULL,
	"district" varchar(20),
	"city" varchar(80),
	"county" varchar(80),
	"state" varchar(80),
	"country" char(2) NOT NULL,
	"taxclass" varchar(80),
	"exempt_amount" numeric(10,2) DEFAULT 0 NOT NULL,
	"tax" numeric(8, 4) DEFAULT '0' NOT NULL,
	"taxname" varchar(80),
	"setuptax" char(1),
	"recurtax" char(1),
	CONSTRAINT "cust_main_county_tax_range" CHECK ("cust_main_county"."tax" >= 0 AND "cust_main_county"."tax" < 100)
);
--> statement-breakpoint
CREATE TABLE "cust_main_invoice" (
	"destnum" serial PRIMARY KEY NOT NULL,
	"custnum" integer NOT NULL,
	"dest" varchar(80) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "type_pkgs" (
	"typepkgnum" serial PRIMARY KEY NOT NULL,
	"typenum" integer NOT NULL,
	"pkgpart" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cust_pkg" (
	"pkgnum" serial PRIMARY KEY NOT NULL,
	"custnum" integer NOT NULL,
	"pkgpart" integer NOT NULL,
	"locationnum" integer,
	"contactnum" integer,
	"order_date" timestamp with time zone DEFAULT now() NOT NULL,
	"start_date" timestamp with time zone,
	"setup" timestamp with time zone,
	"bill" timestamp with time zone,
	"last_bill" timestamp with time zone,
	"susp" timestamp with time zone,
	"adjourn" timestamp with time zone,
	"resume" timestamp with time zone,
	"cancel" timestamp with time zone,
	"expire" timestamp with time zone,
	"contract_end" timestamp with time zone,
	"change_date" timestamp with time zone,
	"change_pkgnum" integer,
	"change_pkgpart" integer,
	"change_locationnum" integer,
	"change_custnum" integer,
	"quantity" integer DEFAULT 1 NOT NULL,
	"no_auto" char(1),
	"waive_setup" char(1),
	CONSTRAINT "cust_pkg_quantity_positive" CHECK ("cust_pkg"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "cust_svc" (
	"svcnum" serial PRIMARY KEY NOT NULL,
	"pkgnum" integer,
	"svcpart" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "part_pkg" (
	"pkgpart" serial PRIMARY KEY NOT NULL,
	"pkg" varchar(104) NOT NULL,
	"comment" varchar(160),
	"description" text,
	"promo_code" varchar(80),
	"freq" varchar(80) NOT NULL,
	"plan" varchar(80) DEFAULT 'flat' NOT NULL,
	"setup_fee" numeric(10,2) DEFAULT 0 NOT NULL,
	"recur_fee" numeric(10,2) DEFAULT 0 NOT NULL,
	"setuptax" char(1),
	"recurtax" char(1),
	"taxclass" varchar(80),
	"classnum" integer,
	"disabled" char(1),
	"agentnum" integer,
	"payby" text[],
	"signup_offer" char(1),
	CONSTRAINT "part_pkg_freq_months" CHECK ("part_pkg"."freq" ~ '^[0-9]{1,3}$'),
	CONSTRAINT "part_pkg_fees_nonnegative" CHECK ("part_pkg"."setup_fee" >= 0 AND "part_pkg"."recur_fee" >= 0)
);
--> statement-breakpoint
CREATE TABLE "part_svc" (
	"svcpart" serial PRIMARY KEY NOT NULL,
	"svc" varchar(80) NOT NULL,
	"svcdb" varchar(80) NOT NULL,
	"disabled" char(1),
	"selfservice_access" varchar(80)
);
--> statement-breakpoint
CREATE TABLE "pkg_svc" (
	"pkgsvcnum" serial PRIMARY KEY NOT NULL,
	"pkgpart" integer NOT NULL,
	"svcpart" integer NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"primary_svc" char(1),
	"hidden" char(1)
);
--> statement-breakpoint
CREATE TABLE "prepay_credit" (
	"prepaynum" serial PRIMARY KEY NOT NULL,
	"identifier" varchar(80) NOT NULL,
	"amount" numeric(10,2) NOT NULL,
	"seconds" integer,
	"agentnum" integer,
	CONSTRAINT "prepay_credit_amount_positive" CHECK ("prepay_credit"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "svc_acct" (
	"svcnum" integer PRIMARY KEY NOT NULL,
	"username" varchar(64) NOT NULL,
	"domsvc" integer NOT NULL,
	"_password" varchar(512),
	"_password_encoding" varchar(80),
	"sec_phrase" varchar(80),
	"popnum" integer,
	"finger" varchar(160),
	"seconds" integer,
	"upbytes" bigint,
	"downbytes" bigint,
	"totalbytes" bigint,
	"last_login" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "svc_acct_pop" (
	"popnum" serial PRIMARY KEY NOT NULL,
	"city" varchar(80) NOT NULL,
	"state" varchar(80) NOT NULL,
	"ac" char(3) NOT NULL,
	"exch" char(3) NOT NULL,
	"loc" char(4)
);
--> statement-breakpoint
CREATE TABLE "svc_domain" (
	"svcnum" integer PRIMARY KEY NOT NULL,
	"domain" varchar(80) NOT NULL,
	"catchall" integer,
	"setup_date" timestamp with time zone,
	"expiration_date" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "svc_external" (
	"svcnum" integer PRIMARY KEY NOT NULL,
	"id" bigint,
	"title" varchar(255)
);
--> statement-breakpoint
CREATE TABLE "svc_phone" (
	"svcnum" integer PRIMARY KEY NOT NULL,
	"countrycode" varchar(3) NOT NULL,
	"phonenum" varchar(25) NOT NULL,
	"pin" varchar(512),
	"phone_name" varchar(80),
	"locationnum" integer
);
--> statement-breakpoint
CREATE TABLE "cust_bill" (
	"invnum" serial PRIMARY KEY NOT NULL,
	"custnum" integer NOT NULL,
	"_date" timestamp with time zone NOT NULL,
	"charged" numeric(10,2) NOT NULL,
	"owed" numeric(10,2) NOT NULL,
	"currency" char(3),
	"invoice_terms" varchar(80),
	"previous_balance" numeric(10,2),
	"billing_balance" numeric(10,2),
	"printed" integer DEFAULT 0 NOT NULL,
	"closed" char(1),
	"hide" char(1),
	CONSTRAINT "cust_bill_charged_nonnegative" CHECK ("cust_bill"."charged" >= 0),
	CONSTRAINT "cust_bill_owed_range" CHECK ("cust_bill"."owed" >= 0 AND "cust_bill"."owed" <= "cust_bill"."charged")
);
--> statement-breakpoint
CREATE TABLE "cust_bill_pay" (
	"billpaynum" serial PRIMARY KEY NOT NULL,
	"invnum" integer NOT NULL,
	"paynum" integer NOT NULL,
	"amount" numeric(10,2) NOT NULL,
	"_date" timestamp with time zone NOT NULL,
	"pkgnum" integer,
	CONSTRAINT "cust_bill_pay_amount_positive" CHECK ("cust_bill_pay"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "cust_bill_pkg" (
	"billpkgnum" serial PRIMARY KEY NOT NULL,
	"invnum" integer NOT NULL,
	"pkgnum" integer,
	"setup" numeric(10,2) DEFAULT 0 NOT NULL,
	"recur" numeric(10,2) DEFAULT 0 NOT NULL,
	"unitsetup" numeric(10,2),
	"unitrecur" numeric(10,2),
	"sdate" timestamp with time zone,
	"edate" timestamp with time zone,
	"itemdesc" varchar(80),
	"itemcomment" varchar(80),
	"section" varchar(80),
	"freq" varchar(80),
	"quantity" integer,
	"hidden" char(1)
);
--> statement-breakpoint
CREATE TABLE "cust_bill_pkg_tax_location" (
	"billpkgtaxlocationnum" serial PRIMARY KEY NOT NULL,
	"billpkgnum" integer NOT NULL,
	"taxnum" integer NOT NULL,
	"taxtype" varchar(80) DEFAULT 'FS::cust_main_county' NOT NULL,
	"pkgnum" integer,
	"locationnum" integer,
	"amount" numeric(10,2) NOT NULL,
	"taxable_billpkgnum" integer
);
--> statement-breakpoint
CREATE TABLE "cust_credit" (
	"crednum" serial PRIMARY KEY NOT NULL,
	"custnum" integer NOT NULL,
	"_date" timestamp with time zone NOT NULL,
	"amount" numeric(10,2) NOT NULL,
	"currency" char(3),
	"otaker" varchar(32),
	"reason" text,
	"addlinfo" text,
	"closed" char(1),
	"pkgnum" integer,
	CONSTRAINT "cust_credit_amount_positive" CHECK ("cust_credit"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "cust_credit_bill" (
	"creditbillnum" serial PRIMARY KEY NOT NULL,
	"crednum" integer NOT NULL,
	"invnum" integer NOT NULL,
	"amount" numeric(10,2) NOT NULL,
	"_date" timestamp with time zone NOT NULL,
	"pkgnum" integer,
	CONSTRAINT "cust_credit_bill_amount_positive" CHECK ("cust_credit_bill"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "cust_credit_refund" (
	"creditrefundnum" serial PRIMARY KEY NOT NULL,
	"crednum" integer NOT NULL,
	"refundnum" integer NOT NULL,
	"amount" numeric(10,2) NOT NULL,
	"_date" timestamp with time zone NOT NULL,
	CONSTRAINT "cust_credit_refund_amount_positive" CHECK ("cust_credit_refund"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "cust_pay" (
	"paynum" serial PRIMARY KEY NOT NULL,
	"custnum" integer NOT NULL,
	"_date" timestamp with time zone NOT NULL,
	"paid" numeric(10,2) NOT NULL,
	"currency" char(3),
	"otaker" varchar(32),
	"payby" char(4) NOT NULL,
	"paycardtype" varchar(80),
	"paymask" varchar(80),
	"paydate" varchar(10),
	"paybatch" varchar(80),
	"payunique" varchar(80),
	"closed" char(1),
	"pkgnum" integer,
	"no_auto_apply" char(1),
	"processor" varchar(80),
	"auth" varchar(16),
	"order_number" varchar(256),
	CONSTRAINT "cust_pay_paid_positive" CHECK ("cust_pay"."paid" > 0)
);
--> statement-breakpoint
CREATE TABLE "cust_pay_refund" (
	"payrefundnum" serial PRIMARY KEY NOT NULL,
	"paynum" integer NOT NULL,
	"refundnum" integer NOT NULL,
	"amount" numeric(10,2) NOT NULL,
	"_date" timestamp with time zone NOT NULL,
	CONSTRAINT "cust_pay_refund_amount_positive" CHECK ("cust_pay_refund"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "cust_refund" (
	"refundnum" serial PRIMARY KEY NOT NULL,
	"custnum" integer NOT NULL,
	"_date" timestamp with time zone NOT NULL,
	"refund" numeric(10,2) NOT NULL,
	"currency" char(3),
	"otaker" varchar(32),
	"reason" varchar(80),
	"payby" char(4) NOT NULL,
	"paymask" varchar(80),
	"paybatch" varchar(80),
	"closed" char(1),
	"source_paynum" integer,
	"processor" varchar(80),
	"auth" varchar(16),
	"order_number" varchar(80),
	CONSTRAINT "cust_refund_refund_positive" CHECK ("cust_refund"."refund" > 0)
);
--> statement-breakpoint
CREATE TABLE "cust_pay_pending" (
	"paypendingnum" serial PRIMARY KEY NOT NULL,
	"custnum" integer,
	"paid" numeric(10,2) NOT NULL,
	"currency" char(3),
	"_date" timestamp with time zone DEFAULT now() NOT NULL,
	"payby" char(4) NOT NULL,
	"paycardtype" varchar(80),
	"paymask" varchar(80),
	"paydate" varchar(10),
	"custpaybynum" integer,
	"payunique" varchar(80) NOT NULL,
	"pkgnum" integer,
	"invnum" integer,
	"status" varchar(80) NOT NULL,
	"statustext" text,
	"failure_status" varchar(16),
	"processor" varchar(80),
	"auth" varchar(16),
	"order_number" varchar(256),
	"paynum" integer,
	"manual" char(1),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cust_pay_pending_paid_positive" CHECK ("cust_pay_pending"."paid" > 0),
	CONSTRAINT "cust_pay_pending_status" CHECK ("cust_pay_pending"."status" IN ('new','pending','captured','declined','error','done'))
);
--> statement-breakpoint
CREATE TABLE "cust_payby" (
	"custpaybynum" serial PRIMARY KEY NOT NULL,
	"custnum" integer NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"payby" char(4) NOT NULL,
	"payinfo" varchar(512) NOT NULL,
	"paycardtype" varchar(80),
	"paymask" varchar(80) NOT NULL,
	"paydate" varchar(10),
	"paystart_month" integer,
	"paystart_year" integer,
	"payissue" varchar(2),
	"payname" varchar(160),
	"paystate" varchar(80),
	"paytype" varchar(80),
	"payip" varchar(45),
	"locationnum" integer,
	CONSTRAINT "cust_payby_payby" CHECK ("cust_payby"."payby" IN ('CARD','DCRD','CHEK','DCHK'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"auditnum" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"custnum" integer,
	"contactnum" integer,
	"agentnum" integer,
	"action" varchar(64) NOT NULL,
	"ip" varchar(64),
	"detail" jsonb,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "login_throttle" (
	"key" varchar(320) PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_start" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "session" (
	"token_hash" varchar(64) PRIMARY KEY NOT NULL,
	"kind" varchar(16) NOT NULL,
	"custnum" integer,
	"contactnum" integer,
	"svcnum" integer,
	"agentnum" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" varchar(64),
	"user_agent" varchar(300),
	CONSTRAINT "session_kind" CHECK ("session"."kind" IN ('customer','agent'))
);
--> statement-breakpoint
ALTER TABLE "agent" ADD CONSTRAINT "agent_typenum_agent_type_typenum_fk" FOREIGN KEY ("typenum") REFERENCES "public"."agent_type"("typenum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact" ADD CONSTRAINT "contact_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact" ADD CONSTRAINT "contact_locationnum_cust_location_locationnum_fk" FOREIGN KEY ("locationnum") REFERENCES "public"."cust_location"("locationnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_email" ADD CONSTRAINT "contact_email_contactnum_contact_contactnum_fk" FOREIGN KEY ("contactnum") REFERENCES "public"."contact"("contactnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_location" ADD CONSTRAINT "cust_location_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_main" ADD CONSTRAINT "cust_main_agentnum_agent_agentnum_fk" FOREIGN KEY ("agentnum") REFERENCES "public"."agent"("agentnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_main" ADD CONSTRAINT "cust_main_bill_locationnum_cust_location_locationnum_fk" FOREIGN KEY ("bill_locationnum") REFERENCES "public"."cust_location"("locationnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_main" ADD CONSTRAINT "cust_main_ship_locationnum_cust_location_locationnum_fk" FOREIGN KEY ("ship_locationnum") REFERENCES "public"."cust_location"("locationnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_main" ADD CONSTRAINT "cust_main_referral_custnum_cust_main_custnum_fk" FOREIGN KEY ("referral_custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_main_invoice" ADD CONSTRAINT "cust_main_invoice_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "type_pkgs" ADD CONSTRAINT "type_pkgs_typenum_agent_type_typenum_fk" FOREIGN KEY ("typenum") REFERENCES "public"."agent_type"("typenum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pkg" ADD CONSTRAINT "cust_pkg_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pkg" ADD CONSTRAINT "cust_pkg_pkgpart_part_pkg_pkgpart_fk" FOREIGN KEY ("pkgpart") REFERENCES "public"."part_pkg"("pkgpart") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pkg" ADD CONSTRAINT "cust_pkg_locationnum_cust_location_locationnum_fk" FOREIGN KEY ("locationnum") REFERENCES "public"."cust_location"("locationnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pkg" ADD CONSTRAINT "cust_pkg_contactnum_contact_contactnum_fk" FOREIGN KEY ("contactnum") REFERENCES "public"."contact"("contactnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pkg" ADD CONSTRAINT "cust_pkg_change_pkgnum_cust_pkg_pkgnum_fk" FOREIGN KEY ("change_pkgnum") REFERENCES "public"."cust_pkg"("pkgnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_svc" ADD CONSTRAINT "cust_svc_pkgnum_cust_pkg_pkgnum_fk" FOREIGN KEY ("pkgnum") REFERENCES "public"."cust_pkg"("pkgnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_svc" ADD CONSTRAINT "cust_svc_svcpart_part_svc_svcpart_fk" FOREIGN KEY ("svcpart") REFERENCES "public"."part_svc"("svcpart") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_pkg" ADD CONSTRAINT "part_pkg_agentnum_agent_agentnum_fk" FOREIGN KEY ("agentnum") REFERENCES "public"."agent"("agentnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pkg_svc" ADD CONSTRAINT "pkg_svc_pkgpart_part_pkg_pkgpart_fk" FOREIGN KEY ("pkgpart") REFERENCES "public"."part_pkg"("pkgpart") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pkg_svc" ADD CONSTRAINT "pkg_svc_svcpart_part_svc_svcpart_fk" FOREIGN KEY ("svcpart") REFERENCES "public"."part_svc"("svcpart") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prepay_credit" ADD CONSTRAINT "prepay_credit_agentnum_agent_agentnum_fk" FOREIGN KEY ("agentnum") REFERENCES "public"."agent"("agentnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "svc_acct" ADD CONSTRAINT "svc_acct_svcnum_cust_svc_svcnum_fk" FOREIGN KEY ("svcnum") REFERENCES "public"."cust_svc"("svcnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "svc_acct" ADD CONSTRAINT "svc_acct_domsvc_svc_domain_svcnum_fk" FOREIGN KEY ("domsvc") REFERENCES "public"."svc_domain"("svcnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "svc_acct" ADD CONSTRAINT "svc_acct_popnum_svc_acct_pop_popnum_fk" FOREIGN KEY ("popnum") REFERENCES "public"."svc_acct_pop"("popnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "svc_domain" ADD CONSTRAINT "svc_domain_svcnum_cust_svc_svcnum_fk" FOREIGN KEY ("svcnum") REFERENCES "public"."cust_svc"("svcnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "svc_external" ADD CONSTRAINT "svc_external_svcnum_cust_svc_svcnum_fk" FOREIGN KEY ("svcnum") REFERENCES "public"."cust_svc"("svcnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "svc_phone" ADD CONSTRAINT "svc_phone_svcnum_cust_svc_svcnum_fk" FOREIGN KEY ("svcnum") REFERENCES "public"."cust_svc"("svcnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "svc_phone" ADD CONSTRAINT "svc_phone_locationnum_cust_location_locationnum_fk" FOREIGN KEY ("locationnum") REFERENCES "public"."cust_location"("locationnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_bill" ADD CONSTRAINT "cust_bill_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_bill_pay" ADD CONSTRAINT "cust_bill_pay_invnum_cust_bill_invnum_fk" FOREIGN KEY ("invnum") REFERENCES "public"."cust_bill"("invnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_bill_pay" ADD CONSTRAINT "cust_bill_pay_paynum_cust_pay_paynum_fk" FOREIGN KEY ("paynum") REFERENCES "public"."cust_pay"("paynum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_bill_pkg" ADD CONSTRAINT "cust_bill_pkg_invnum_cust_bill_invnum_fk" FOREIGN KEY ("invnum") REFERENCES "public"."cust_bill"("invnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_bill_pkg" ADD CONSTRAINT "cust_bill_pkg_pkgnum_cust_pkg_pkgnum_fk" FOREIGN KEY ("pkgnum") REFERENCES "public"."cust_pkg"("pkgnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_bill_pkg_tax_location" ADD CONSTRAINT "cust_bill_pkg_tax_location_billpkgnum_cust_bill_pkg_billpkgnum_fk" FOREIGN KEY ("billpkgnum") REFERENCES "public"."cust_bill_pkg"("billpkgnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_bill_pkg_tax_location" ADD CONSTRAINT "cust_bill_pkg_tax_location_taxnum_cust_main_county_taxnum_fk" FOREIGN KEY ("taxnum") REFERENCES "public"."cust_main_county"("taxnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_bill_pkg_tax_location" ADD CONSTRAINT "cust_bill_pkg_tax_location_pkgnum_cust_pkg_pkgnum_fk" FOREIGN KEY ("pkgnum") REFERENCES "public"."cust_pkg"("pkgnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_bill_pkg_tax_location" ADD CONSTRAINT "cust_bill_pkg_tax_location_locationnum_cust_location_locationnum_fk" FOREIGN KEY ("locationnum") REFERENCES "public"."cust_location"("locationnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_bill_pkg_tax_location" ADD CONSTRAINT "cust_bill_pkg_tax_location_taxable_billpkgnum_cust_bill_pkg_billpkgnum_fk" FOREIGN KEY ("taxable_billpkgnum") REFERENCES "public"."cust_bill_pkg"("billpkgnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_credit" ADD CONSTRAINT "cust_credit_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_credit" ADD CONSTRAINT "cust_credit_pkgnum_cust_pkg_pkgnum_fk" FOREIGN KEY ("pkgnum") REFERENCES "public"."cust_pkg"("pkgnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_credit_bill" ADD CONSTRAINT "cust_credit_bill_crednum_cust_credit_crednum_fk" FOREIGN KEY ("crednum") REFERENCES "public"."cust_credit"("crednum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_credit_bill" ADD CONSTRAINT "cust_credit_bill_invnum_cust_bill_invnum_fk" FOREIGN KEY ("invnum") REFERENCES "public"."cust_bill"("invnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_credit_refund" ADD CONSTRAINT "cust_credit_refund_crednum_cust_credit_crednum_fk" FOREIGN KEY ("crednum") REFERENCES "public"."cust_credit"("crednum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_credit_refund" ADD CONSTRAINT "cust_credit_refund_refundnum_cust_refund_refundnum_fk" FOREIGN KEY ("refundnum") REFERENCES "public"."cust_refund"("refundnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pay" ADD CONSTRAINT "cust_pay_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pay" ADD CONSTRAINT "cust_pay_pkgnum_cust_pkg_pkgnum_fk" FOREIGN KEY ("pkgnum") REFERENCES "public"."cust_pkg"("pkgnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pay_refund" ADD CONSTRAINT "cust_pay_refund_paynum_cust_pay_paynum_fk" FOREIGN KEY ("paynum") REFERENCES "public"."cust_pay"("paynum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pay_refund" ADD CONSTRAINT "cust_pay_refund_refundnum_cust_refund_refundnum_fk" FOREIGN KEY ("refundnum") REFERENCES "public"."cust_refund"("refundnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_refund" ADD CONSTRAINT "cust_refund_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_refund" ADD CONSTRAINT "cust_refund_source_paynum_cust_pay_paynum_fk" FOREIGN KEY ("source_paynum") REFERENCES "public"."cust_pay"("paynum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pay_pending" ADD CONSTRAINT "cust_pay_pending_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pay_pending" ADD CONSTRAINT "cust_pay_pending_pkgnum_cust_pkg_pkgnum_fk" FOREIGN KEY ("pkgnum") REFERENCES "public"."cust_pkg"("pkgnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pay_pending" ADD CONSTRAINT "cust_pay_pending_invnum_cust_bill_invnum_fk" FOREIGN KEY ("invnum") REFERENCES "public"."cust_bill"("invnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_pay_pending" ADD CONSTRAINT "cust_pay_pending_paynum_cust_pay_paynum_fk" FOREIGN KEY ("paynum") REFERENCES "public"."cust_pay"("paynum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_payby" ADD CONSTRAINT "cust_payby_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cust_payby" ADD CONSTRAINT "cust_payby_locationnum_cust_location_locationnum_fk" FOREIGN KEY ("locationnum") REFERENCES "public"."cust_location"("locationnum") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_custnum_cust_main_custnum_fk" FOREIGN KEY ("custnum") REFERENCES "public"."cust_main"("custnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_contactnum_contact_contactnum_fk" FOREIGN KEY ("contactnum") REFERENCES "public"."contact"("contactnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_agentnum_agent_agentnum_fk" FOREIGN KEY ("agentnum") REFERENCES "public"."agent"("agentnum") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agent_username_key" ON "agent" USING btree (lower("username"));--> statement-breakpoint
CREATE UNIQUE INDEX "agent_signup_key_key" ON "agent" USING btree ("signup_key");--> statement-breakpoint
CREATE UNIQUE INDEX "agent_one_signup_default" ON "agent" USING btree ("signup_default") WHERE "agent"."signup_default" = 'Y';--> statement-breakpoint
CREATE INDEX "contact_custnum" ON "contact" USING btree ("custnum");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_email_emailaddress" ON "contact_email" USING btree (lower("emailaddress"));--> statement-breakpoint
CREATE INDEX "contact_email_contactnum" ON "contact_email" USING btree ("contactnum");--> statement-breakpoint
CREATE INDEX "cust_location_custnum" ON "cust_location" USING btree ("custnum");--> statement-breakpoint
CREATE INDEX "cust_main_agentnum" ON "cust_main" USING btree ("agentnum");--> statement-breakpoint
CREATE UNIQUE INDEX "cust_main_agent_custid" ON "cust_main" USING btree ("agentnum","agent_custid");--> statement-breakpoint
CREATE INDEX "cust_main_last_first" ON "cust_main" USING btree (lower("last"),lower("first"));--> statement-breakpoint
CREATE INDEX "cust_main_referral_custnum" ON "cust_main" USING btree ("referral_custnum");--> statement-breakpoint
CREATE INDEX "cust_main_county_region" ON "cust_main_county" USING btree ("country","state","county","city");--> statement-breakpoint
CREATE UNIQUE INDEX "cust_main_invoice_custnum_dest" ON "cust_main_invoice" USING btree ("custnum",lower("dest"));--> statement-breakpoint
CREATE UNIQUE INDEX "type_pkgs_typenum_pkgpart" ON "type_pkgs" USING btree ("typenum","pkgpart");--> statement-breakpoint
CREATE INDEX "type_pkgs_pkgpart" ON "type_pkgs" USING btree ("pkgpart");--> statement-breakpoint
CREATE INDEX "cust_pkg_custnum" ON "cust_pkg" USING btree ("custnum");--> statement-breakpoint
CREATE INDEX "cust_pkg_bill_due" ON "cust_pkg" USING btree ("bill") WHERE "cust_pkg"."cancel" IS NULL;--> statement-breakpoint
CREATE INDEX "cust_pkg_pkgpart" ON "cust_pkg" USING btree ("pkgpart");--> statement-breakpoint
CREATE INDEX "cust_svc_pkgnum" ON "cust_svc" USING btree ("pkgnum");--> statement-breakpoint
CREATE INDEX "cust_svc_svcpart" ON "cust_svc" USING btree ("svcpart");--> statement-breakpoint
CREATE INDEX "part_pkg_agentnum" ON "part_pkg" USING btree ("agentnum");--> statement-breakpoint
CREATE UNIQUE INDEX "pkg_svc_pkgpart_svcpart" ON "pkg_svc" USING btree ("pkgpart","svcpart");--> statement-breakpoint
CREATE UNIQUE INDEX "prepay_credit_identifier" ON "prepay_credit" USING btree ("identifier");--> statement-breakpoint
CREATE UNIQUE INDEX "svc_acct_username_domsvc" ON "svc_acct" USING btree (lower("username"),"domsvc");--> statement-breakpoint
CREATE INDEX "svc_acct_pop_state_ac" ON "svc_acct_pop" USING btree ("state","ac");--> statement-breakpoint
CREATE UNIQUE INDEX "svc_domain_domain" ON "svc_domain" USING btree (lower("domain"));--> statement-breakpoint
CREATE UNIQUE INDEX "svc_phone_countrycode_phonenum" ON "svc_phone" USING btree ("countrycode","phonenum");--> statement-breakpoint
CREATE INDEX "svc_phone_phonenum" ON "svc_phone" USING btree ("phonenum");--> statement-breakpoint
CREATE INDEX "cust_bill_custnum_date" ON "cust_bill" USING btree ("custnum","_date" DESC NULLS LAST,"invnum" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cust_bill_open" ON "cust_bill" USING btree ("custnum","_date","invnum") WHERE "cust_bill"."owed" > 0;--> statement-breakpoint
CREATE INDEX "cust_bill_pay_invnum" ON "cust_bill_pay" USING btree ("invnum");--> statement-breakpoint
CREATE INDEX "cust_bill_pay_paynum" ON "cust_bill_pay" USING btree ("paynum");--> statement-breakpoint
CREATE INDEX "cust_bill_pkg_invnum" ON "cust_bill_pkg" USING btree ("invnum");--> statement-breakpoint
CREATE INDEX "cust_bill_pkg_pkgnum" ON "cust_bill_pkg" USING btree ("pkgnum");--> statement-breakpoint
CREATE INDEX "cust_bill_pkg_tax_location_billpkgnum" ON "cust_bill_pkg_tax_location" USING btree ("billpkgnum");--> statement-breakpoint
CREATE INDEX "cust_credit_custnum_date" ON "cust_credit" USING btree ("custnum","_date" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cust_credit_bill_invnum" ON "cust_credit_bill" USING btree ("invnum");--> statement-breakpoint
CREATE INDEX "cust_credit_bill_crednum" ON "cust_credit_bill" USING btree ("crednum");--> statement-breakpoint
CREATE INDEX "cust_credit_refund_crednum" ON "cust_credit_refund" USING btree ("crednum");--> statement-breakpoint
CREATE INDEX "cust_credit_refund_refundnum" ON "cust_credit_refund" USING btree ("refundnum");--> statement-breakpoint
CREATE INDEX "cust_pay_custnum_date" ON "cust_pay" USING btree ("custnum","_date" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "cust_pay_payunique" ON "cust_pay" USING btree ("payunique");--> statement-breakpoint
CREATE INDEX "cust_pay_refund_paynum" ON "cust_pay_refund" USING btree ("paynum");--> statement-breakpoint
CREATE INDEX "cust_pay_refund_refundnum" ON "cust_pay_refund" USING btree ("refundnum");--> statement-breakpoint
CREATE INDEX "cust_refund_custnum_date" ON "cust_refund" USING btree ("custnum","_date" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "cust_pay_pending_payunique" ON "cust_pay_pending" USING btree ("payunique");--> statement-breakpoint
CREATE INDEX "cust_pay_pending_custnum" ON "cust_pay_pending" USING btree ("custnum");--> statement-breakpoint
CREATE INDEX "cust_pay_pending_unfinished" ON "cust_pay_pending" USING btree ("status") WHERE "cust_pay_pending"."status" <> 'done';--> statement-breakpoint
CREATE INDEX "cust_payby_custnum_weight" ON "cust_payby" USING btree ("custnum","weight");--> statement-breakpoint
CREATE INDEX "audit_log_custnum_at" ON "audit_log" USING btree ("custnum","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "session_custnum" ON "session" USING btree ("custnum");--> statement-breakpoint
CREATE INDEX "session_expires_at" ON "session" USING btree ("expires_at");