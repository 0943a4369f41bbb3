CREATE TABLE `delivery_daily` (
	`store_id` text NOT NULL,
	`day` text NOT NULL,
	`carrier` text NOT NULL,
	`service` text NOT NULL,
	`country` text NOT NULL,
	`transit_days` integer NOT NULL,
	`parcels` integer NOT NULL,
	`on_time` integer NOT NULL,
	`first_attempt` integer NOT NULL,
	`told_late` integer NOT NULL,
	`had_exception` integer NOT NULL,
	PRIMARY KEY(`store_id`, `day`, `carrier`, `service`, `country`, `transit_days`)
);
--> statement-breakpoint
CREATE TABLE `order_page_views` (
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`day` text NOT NULL,
	`views` integer NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `order_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `order_page_views_store_day_idx` ON `order_page_views` (`store_id`,`day`);--> statement-breakpoint
ALTER TABLE `shipments` ADD `first_estimate_date` text;--> statement-breakpoint
ALTER TABLE `shipments` ADD `first_estimate_source` text;--> statement-breakpoint
ALTER TABLE `shipments` ADD `counted_as` text;--> statement-breakpoint
CREATE INDEX `notices_store_opened_idx` ON `notices` (`store_id`,`opened_at`);