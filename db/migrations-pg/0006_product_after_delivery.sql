ALTER TABLE "products" ADD COLUMN "care_guide" jsonb;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "warranty_months" bigint;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "replenish_after_days" bigint;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "related" jsonb DEFAULT '[]'::jsonb NOT NULL;