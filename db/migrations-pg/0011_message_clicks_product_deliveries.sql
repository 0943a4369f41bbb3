CREATE TABLE "message_links" (
	"message_id" text NOT NULL,
	"link_id" text NOT NULL,
	"store_id" text NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"created_at" bigint NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"first_clicked_at" bigint,
	"last_clicked_at" bigint,
	CONSTRAINT "message_links_message_id_link_id_pk" PRIMARY KEY("message_id","link_id")
);
--> statement-breakpoint
CREATE TABLE "product_delivery_daily" (
	"store_id" text NOT NULL,
	"day" text NOT NULL,
	"product_id" text NOT NULL,
	"units" bigint NOT NULL,
	"parcels" bigint NOT NULL,
	CONSTRAINT "product_delivery_daily_store_id_day_product_id_pk" PRIMARY KEY("store_id","day","product_id")
);
--> statement-breakpoint
CREATE INDEX "message_links_store_clicked_idx" ON "message_links" USING btree ("store_id","first_clicked_at") WHERE first_clicked_at is not null;