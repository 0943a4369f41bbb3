CREATE TABLE "delivery_daily" (
	"store_id" text NOT NULL,
	"day" text NOT NULL,
	"carrier" text NOT NULL,
	"service" text NOT NULL,
	"country" text NOT NULL,
	"transit_days" bigint NOT NULL,
	"parcels" bigint NOT NULL,
	"on_time" bigint NOT NULL,
	"first_attempt" bigint NOT NULL,
	"told_late" bigint NOT NULL,
	"had_exception" bigint NOT NULL,
	CONSTRAINT "delivery_daily_store_id_day_carrier_service_country_transit_days_pk" PRIMARY KEY("store_id","day","carrier","service","country","transit_days")
);
--> statement-breakpoint
CREATE TABLE "order_page_views" (
	"store_id" text NOT NULL,
	"order_id" text NOT NULL,
	"day" text NOT NULL,
	"views" bigint NOT NULL,
	"first_at" bigint NOT NULL,
	"last_at" bigint NOT NULL,
	CONSTRAINT "order_page_views_store_id_order_id_day_pk" PRIMARY KEY("store_id","order_id","day")
);
--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "first_estimate_date" text;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "first_estimate_source" text;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "counted_as" text;--> statement-breakpoint
CREATE INDEX "order_page_views_store_day_idx" ON "order_page_views" USING btree ("store_id","day");--> statement-breakpoint
CREATE INDEX "notices_store_opened_idx" ON "notices" USING btree ("store_id","opened_at");