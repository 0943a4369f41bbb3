CREATE TABLE "email_suppressions" (
	"id" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"email_norm" text NOT NULL,
	"reason" text NOT NULL,
	"detail" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"order_id" text NOT NULL,
	"shipment_id" text,
	"return_id" text,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"language" text NOT NULL,
	"message_class" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"status" text NOT NULL,
	"provider_id" text,
	"subject" text,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint,
	"lease_owner" text,
	"lease_until" bigint,
	"last_error" text,
	"news_at" bigint,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"sent_at" bigint
);
--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD COLUMN "message_id" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "marketing_consent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "email_suppressions_store_email_reason_idx" ON "email_suppressions" USING btree ("store_id","email_norm","reason");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_store_dedupe_idx" ON "messages" USING btree ("store_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "messages_order_idx" ON "messages" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "messages_store_created_idx" ON "messages" USING btree ("store_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_due_idx" ON "messages" USING btree ("next_attempt_at") WHERE status in ('queued', 'scheduled') and channel = 'email';--> statement-breakpoint
CREATE INDEX "messages_leased_idx" ON "messages" USING btree ("lease_until") WHERE lease_until is not null;