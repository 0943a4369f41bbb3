CREATE TABLE "message_hourly" (
	"store_id" text NOT NULL,
	"hour" bigint NOT NULL,
	"channel" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "message_hourly_store_id_hour_channel_kind_status_pk" PRIMARY KEY("store_id","hour","channel","kind","status")
);
--> statement-breakpoint
CREATE INDEX "messages_store_kind_sent_idx" ON "messages" USING btree ("store_id","kind","status","sent_at");