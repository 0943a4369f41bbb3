CREATE TABLE `replenishment_items` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`message_key` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `replenishment_items_order_product_idx` ON `replenishment_items` (`order_id`,`product_id`);--> statement-breakpoint
CREATE INDEX `replenishment_items_key_idx` ON `replenishment_items` (`store_id`,`message_key`);