CREATE TABLE "replenishment_items" (
	"id" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"order_id" text NOT NULL,
	"product_id" text NOT NULL,
	"message_key" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "replenishment_items" ADD CONSTRAINT "replenishment_items_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "replenishment_items_order_product_idx" ON "replenishment_items" USING btree ("order_id","product_id");--> statement-breakpoint
CREATE INDEX "replenishment_items_key_idx" ON "replenishment_items" USING btree ("store_id","message_key");