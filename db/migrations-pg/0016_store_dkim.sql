ALTER TABLE "stores" ADD COLUMN "dkim_domain" text;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "dkim_selector" text;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "dkim_key_enc" text;