CREATE TABLE "checkins" (
	"id" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"order_id" text NOT NULL,
	"shipment_id" text NOT NULL,
	"asked_at" bigint,
	"skipped" text,
	"answer" text,
	"message" text,
	"case_id" text,
	"answered_at" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "checkins_shipment_idx" ON "checkins" USING btree ("shipment_id");--> statement-breakpoint
CREATE INDEX "checkins_store_asked_idx" ON "checkins" USING btree ("store_id","asked_at");--> statement-breakpoint
CREATE INDEX "checkins_order_idx" ON "checkins" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "shipments_delivered_idx" ON "shipments" USING btree ("delivered_at") WHERE delivered_at is not null;