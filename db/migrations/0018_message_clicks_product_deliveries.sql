CREATE TABLE `message_links` (
	`message_id` text NOT NULL,
	`link_id` text NOT NULL,
	`store_id` text NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`created_at` integer NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`first_clicked_at` integer,
	`last_clicked_at` integer,
	PRIMARY KEY(`message_id`, `link_id`)
);
--> statement-breakpoint
CREATE INDEX `message_links_store_clicked_idx` ON `message_links` (`store_id`,`first_clicked_at`) WHERE first_clicked_at is not null;--> statement-breakpoint
CREATE TABLE `product_delivery_daily` (
	`store_id` text NOT NULL,
	`day` text NOT NULL,
	`product_id` text NOT NULL,
	`units` integer NOT NULL,
	`parcels` integer NOT NULL,
	PRIMARY KEY(`store_id`, `day`, `product_id`)
);
