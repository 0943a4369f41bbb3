CREATE TABLE `page_versions` (
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`xact` integer,
	PRIMARY KEY(`store_id`, `order_id`)
);
