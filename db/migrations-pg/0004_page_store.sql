CREATE TABLE "page_store" (
	"page_key" text NOT NULL,
	"lang" text NOT NULL,
	"own_language" boolean NOT NULL,
	"store_id" text NOT NULL,
	"order_id" text NOT NULL,
	"body" "bytea" NOT NULL,
	"gzip" "bytea" NOT NULL,
	"brotli" "bytea" NOT NULL,
	"etag" text NOT NULL,
	"headers" jsonb NOT NULL,
	"version" bigint NOT NULL,
	"rendered_at" bigint NOT NULL,
	"local_day" text NOT NULL,
	"stale_at" bigint NOT NULL,
	CONSTRAINT "page_store_page_key_lang_pk" PRIMARY KEY("page_key","lang")
);
--> statement-breakpoint
CREATE INDEX "page_store_order_idx" ON "page_store" USING btree ("store_id","order_id");--> statement-breakpoint
CREATE INDEX "page_store_stale_idx" ON "page_store" USING btree ("stale_at");