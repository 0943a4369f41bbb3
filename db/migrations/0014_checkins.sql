CREATE TABLE `checkins` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`shipment_id` text NOT NULL,
	`asked_at` integer,
	`skipped` text,
	`answer` text,
	`message` text,
	`case_id` text,
	`answered_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkins_shipment_idx` ON `checkins` (`shipment_id`);--> statement-breakpoint
CREATE INDEX `checkins_store_asked_idx` ON `checkins` (`store_id`,`asked_at`);--> statement-breakpoint
CREATE INDEX `checkins_order_idx` ON `checkins` (`order_id`);--> statement-breakpoint
CREATE INDEX `shipments_delivered_idx` ON `shipments` (`delivered_at`) WHERE delivered_at is not null;