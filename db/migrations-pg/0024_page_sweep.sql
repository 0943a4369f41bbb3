ALTER TABLE "page_store" ADD COLUMN "fresh_from" bigint;--> statement-breakpoint
ALTER TABLE "page_store" ADD COLUMN "read_at" bigint;--> statement-breakpoint
ALTER TABLE "page_store" ADD COLUMN "swept_for" bigint;