CREATE TABLE `review_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`shipment_id` text,
	`sku` text NOT NULL,
	`product_id` text NOT NULL,
	`basis` text NOT NULL,
	`reviewable_at` integer NOT NULL,
	`invited_at` integer NOT NULL,
	`policy_version` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_invitations_order_sku_idx` ON `review_invitations` (`order_id`,`sku`);--> statement-breakpoint
CREATE INDEX `review_invitations_store_time_idx` ON `review_invitations` (`store_id`,`invited_at`);--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`skus` text NOT NULL,
	`product_title` text NOT NULL,
	`product_image_url` text,
	`rating` integer NOT NULL,
	`title` text,
	`body` text,
	`display_name` text NOT NULL,
	`status` text NOT NULL,
	`reject_reason` text,
	`publish_at` integer,
	`published_at` integer,
	`reply` text,
	`replied_at` integer,
	`case_id` text,
	`editable_until` integer NOT NULL,
	`policy_version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reviews_order_product_idx` ON `reviews` (`order_id`,`product_id`);--> statement-breakpoint
CREATE INDEX `reviews_store_product_status_idx` ON `reviews` (`store_id`,`product_id`,`status`,`published_at`);--> statement-breakpoint
CREATE INDEX `reviews_store_status_time_idx` ON `reviews` (`store_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `reviews_publish_due_idx` ON `reviews` (`publish_at`) WHERE publish_at is not null;--> statement-breakpoint
ALTER TABLE `shipments` ADD `review_due_at` integer;--> statement-breakpoint
CREATE INDEX `shipments_review_due_idx` ON `shipments` (`review_due_at`) WHERE review_due_at is not null;