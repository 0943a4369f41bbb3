ALTER TABLE `messages` ADD `covered_by` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `pruned_clicks` integer;--> statement-breakpoint
CREATE INDEX `messages_store_pruned_clicks_idx` ON `messages` (`store_id`,`created_at`) WHERE pruned_clicks > 0;