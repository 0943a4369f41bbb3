ALTER TABLE `page_store` ADD `fresh_from` integer;--> statement-breakpoint
ALTER TABLE `page_store` ADD `read_at` integer;--> statement-breakpoint
ALTER TABLE `page_store` ADD `swept_for` integer;