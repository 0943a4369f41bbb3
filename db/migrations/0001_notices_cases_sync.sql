CREATE TABLE `cases` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`shipment_id` text,
	`source` text NOT NULL,
	`kind` text NOT NULL,
	`message` text,
	`status` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_open_dedupe_idx` ON `cases` (`dedupe_key`) WHERE status != 'resolved';--> statement-breakpoint
CREATE INDEX `cases_store_status_idx` ON `cases` (`store_id`,`status`);--> statement-breakpoint
CREATE INDEX `cases_order_idx` ON `cases` (`order_id`);--> statement-breakpoint
CREATE TABLE `notices` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`shipment_id` text,
	`kind` text NOT NULL,
	`reason` text,
	`revised_date` text,
	`needs_person` integer DEFAULT false NOT NULL,
	`opened_at` integer NOT NULL,
	`cleared_at` integer,
	`scope` text NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notices_open_scope_idx` ON `notices` (`scope`,`kind`) WHERE cleared_at is null;--> statement-breakpoint
CREATE INDEX `notices_order_idx` ON `notices` (`order_id`);--> statement-breakpoint
ALTER TABLE `orders` ADD `dispatch_due_at` integer;--> statement-breakpoint
CREATE INDEX `orders_dispatch_due_idx` ON `orders` (`dispatch_due_at`);--> statement-breakpoint
ALTER TABLE `shipments` ADD `late_at` integer;--> statement-breakpoint
ALTER TABLE `shipments` ADD `quiet_at` integer;--> statement-breakpoint
CREATE INDEX `shipments_late_idx` ON `shipments` (`late_at`);--> statement-breakpoint
CREATE INDEX `shipments_quiet_idx` ON `shipments` (`quiet_at`);