ALTER TABLE "messages" ADD COLUMN "covered_by" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "pruned_clicks" bigint;--> statement-breakpoint
CREATE INDEX "messages_store_pruned_clicks_idx" ON "messages" USING btree ("store_id","created_at") WHERE pruned_clicks > 0;