CREATE TABLE `registrations` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`sku` text NOT NULL,
	`product_id` text NOT NULL,
	`title` text NOT NULL,
	`serial` text,
	`delivered_on` text NOT NULL,
	`warranty_months` integer NOT NULL,
	`warranty_ends_on` text NOT NULL,
	`reminders` integer DEFAULT false NOT NULL,
	`remind_at` integer,
	`registered_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `registrations_order_sku_idx` ON `registrations` (`order_id`,`sku`);--> statement-breakpoint
CREATE INDEX `registrations_store_time_idx` ON `registrations` (`store_id`,`registered_at`);--> statement-breakpoint
CREATE INDEX `registrations_remind_idx` ON `registrations` (`remind_at`) WHERE remind_at is not null;--> statement-breakpoint
ALTER TABLE `cases` ADD `registration_id` text;