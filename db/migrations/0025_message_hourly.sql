CREATE TABLE `message_hourly` (
	`store_id` text NOT NULL,
	`hour` integer NOT NULL,
	`channel` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`store_id`, `hour`, `channel`, `kind`, `status`)
);
--> statement-breakpoint
CREATE INDEX `messages_store_kind_sent_idx` ON `messages` (`store_id`,`kind`,`status`,`sent_at`);