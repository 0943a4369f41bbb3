ALTER TABLE "webhook_deliveries" ADD COLUMN "order_id" text;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_store_order_idx" ON "webhook_deliveries" USING btree ("store_id","order_id");