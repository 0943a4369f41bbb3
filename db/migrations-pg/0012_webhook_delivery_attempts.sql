CREATE TABLE "webhook_delivery_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"delivery_id" text NOT NULL,
	"attempt" bigint NOT NULL,
	"webhook_id" text NOT NULL,
	"url" text NOT NULL,
	"request_headers" jsonb NOT NULL,
	"body_sha256" text NOT NULL,
	"started_at" bigint NOT NULL,
	"duration_ms" bigint,
	"status" bigint,
	"answer" text,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_delivery_attempts_delivery_idx" ON "webhook_delivery_attempts" USING btree ("delivery_id","attempt");