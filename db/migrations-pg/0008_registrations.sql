CREATE TABLE "registrations" (
	"id" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"order_id" text NOT NULL,
	"sku" text NOT NULL,
	"product_id" text NOT NULL,
	"title" text NOT NULL,
	"serial" text,
	"delivered_on" text NOT NULL,
	"warranty_months" bigint NOT NULL,
	"warranty_ends_on" text NOT NULL,
	"reminders" boolean DEFAULT false NOT NULL,
	"remind_at" bigint,
	"registered_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "registration_id" text;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_order_sku_idx" ON "registrations" USING btree ("order_id","sku");--> statement-breakpoint
CREATE INDEX "registrations_store_time_idx" ON "registrations" USING btree ("store_id","registered_at");--> statement-breakpoint
CREATE INDEX "registrations_remind_idx" ON "registrations" USING btree ("remind_at") WHERE remind_at is not null;