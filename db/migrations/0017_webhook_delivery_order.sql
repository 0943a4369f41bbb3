ALTER TABLE `webhook_deliveries` ADD `order_id` text;--> statement-breakpoint
CREATE INDEX `webhook_deliveries_store_order_idx` ON `webhook_deliveries` (`store_id`,`order_id`);