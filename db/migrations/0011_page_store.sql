CREATE TABLE `page_store` (
	`page_key` text NOT NULL,
	`lang` text NOT NULL,
	`own_language` integer NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`body` blob NOT NULL,
	`gzip` blob NOT NULL,
	`brotli` blob NOT NULL,
	`etag` text NOT NULL,
	`headers` text NOT NULL,
	`version` integer NOT NULL,
	`rendered_at` integer NOT NULL,
	`local_day` text NOT NULL,
	`stale_at` integer NOT NULL,
	PRIMARY KEY(`page_key`, `lang`)
);
--> statement-breakpoint
CREATE INDEX `page_store_order_idx` ON `page_store` (`store_id`,`order_id`);--> statement-breakpoint
CREATE INDEX `page_store_stale_idx` ON `page_store` (`stale_at`);