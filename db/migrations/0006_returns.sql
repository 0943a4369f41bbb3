CREATE TABLE `product_variants` (
	`store_id` text NOT NULL,
	`product_row_id` text NOT NULL,
	`sku` text NOT NULL,
	`title` text NOT NULL,
	`available` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`store_id`, `sku`),
	FOREIGN KEY (`product_row_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `product_variants_product_idx` ON `product_variants` (`product_row_id`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`product_id` text NOT NULL,
	`title` text NOT NULL,
	`url` text,
	`image_url` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_store_product_idx` ON `products` (`store_id`,`product_id`);--> statement-breakpoint
CREATE TABLE `return_events` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`return_id` text NOT NULL,
	`kind` text NOT NULL,
	`actor` text NOT NULL,
	`policy_version` integer NOT NULL,
	`note` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`return_id`) REFERENCES `returns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `return_events_return_idx` ON `return_events` (`return_id`,`at`);--> statement-breakpoint
CREATE TABLE `return_items` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`return_id` text NOT NULL,
	`order_id` text NOT NULL,
	`sku` text NOT NULL,
	`product_id` text NOT NULL,
	`title` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_amount` integer NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`photo_asset_id` text,
	`exchange_sku` text,
	FOREIGN KEY (`return_id`) REFERENCES `returns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `return_items_return_idx` ON `return_items` (`return_id`);--> statement-breakpoint
CREATE INDEX `return_items_order_sku_idx` ON `return_items` (`order_id`,`sku`);--> statement-breakpoint
CREATE TABLE `returns` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`access_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`status` text NOT NULL,
	`resolution` text NOT NULL,
	`email_norm` text NOT NULL,
	`currency` text NOT NULL,
	`items_amount` integer NOT NULL,
	`shipping_fee` integer NOT NULL,
	`restocking_fee` integer NOT NULL,
	`credit_bonus` integer NOT NULL,
	`total_back` integer NOT NULL,
	`policy_version` integer NOT NULL,
	`refund_released_on` text NOT NULL,
	`needs_review` integer DEFAULT false NOT NULL,
	`approved_at` integer,
	`rejected_reason` text,
	`outcome_note` text,
	`refund_released_at` integer,
	`in_transit_at` integer,
	`received_at` integer,
	`closed_at` integer,
	`label_state` text DEFAULT 'none' NOT NULL,
	`label_attempts` integer DEFAULT 0 NOT NULL,
	`label_next_attempt_at` integer,
	`label_lease_owner` text,
	`label_lease_until` integer,
	`label_error` text,
	`easypost_shipment_id` text,
	`tracking_code` text,
	`carrier` text,
	`service` text,
	`label_rate` integer,
	`label_pdf_url` text,
	`label_png_url` text,
	`qr_code_url` text,
	`label_bought_at` integer,
	`label_void_at` integer,
	`label_voided_at` integer,
	`parcel_shipment_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `returns_access_id_unique` ON `returns` (`access_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `returns_store_key_idx` ON `returns` (`store_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `returns_store_created_idx` ON `returns` (`store_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `returns_order_idx` ON `returns` (`order_id`);--> statement-breakpoint
CREATE INDEX `returns_store_email_idx` ON `returns` (`store_id`,`email_norm`,`created_at`);--> statement-breakpoint
CREATE INDEX `returns_label_due_idx` ON `returns` (`label_next_attempt_at`);--> statement-breakpoint
CREATE INDEX `returns_void_due_idx` ON `returns` (`label_void_at`);--> statement-breakpoint
ALTER TABLE `shipments` ADD `return_id` text;