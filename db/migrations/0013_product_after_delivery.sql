ALTER TABLE `products` ADD `care_guide` text;--> statement-breakpoint
ALTER TABLE `products` ADD `warranty_months` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `replenish_after_days` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `related` text DEFAULT '[]' NOT NULL;