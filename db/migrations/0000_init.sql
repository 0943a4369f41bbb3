CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`label` text NOT NULL,
	`key_hash` text NOT NULL,
	`key_prefix` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	`last_used_at` integer,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_store_idx` ON `api_keys` (`store_id`);--> statement-breakpoint
CREATE TABLE `order_items` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`sku` text NOT NULL,
	`product_id` text NOT NULL,
	`title` text NOT NULL,
	`variant` text,
	`quantity` integer NOT NULL,
	`unit_amount` integer NOT NULL,
	`image_url` text,
	`category` text,
	`final_sale` integer DEFAULT false NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `order_items_order_sku_idx` ON `order_items` (`order_id`,`sku`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`number` text NOT NULL,
	`number_norm` text NOT NULL,
	`email` text NOT NULL,
	`email_norm` text NOT NULL,
	`postal_norm` text NOT NULL,
	`customer_name` text NOT NULL,
	`placed_at` integer NOT NULL,
	`currency` text NOT NULL,
	`locale` text NOT NULL,
	`time_zone` text,
	`shipping_address` text NOT NULL,
	`access_id` text NOT NULL,
	`body_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_access_id_unique` ON `orders` (`access_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_store_number_idx` ON `orders` (`store_id`,`number_norm`);--> statement-breakpoint
CREATE INDEX `orders_store_email_idx` ON `orders` (`store_id`,`email_norm`);--> statement-breakpoint
CREATE TABLE `page_changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text,
	`changed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `page_changes_time_idx` ON `page_changes` (`changed_at`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shipment_items` (
	`shipment_id` text NOT NULL,
	`store_id` text NOT NULL,
	`sku` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`shipment_id`, `sku`),
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `shipments` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`carrier` text NOT NULL,
	`tracking_code` text NOT NULL,
	`service` text,
	`status` text DEFAULT 'unknown' NOT NULL,
	`status_detail` text,
	`promised_date` text,
	`carrier_estimate_at` integer,
	`first_scan_at` integer,
	`delivered_at` integer,
	`last_event_at` integer,
	`signed_by` text,
	`tracker_id` text,
	`tracker_updated_at` integer,
	`public_url` text,
	`next_sync_at` integer,
	`lease_owner` text,
	`lease_until` integer,
	`sync_attempts` integer DEFAULT 0 NOT NULL,
	`last_sync_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shipments_store_tracking_idx` ON `shipments` (`store_id`,`tracking_code`);--> statement-breakpoint
CREATE INDEX `shipments_order_idx` ON `shipments` (`order_id`);--> statement-breakpoint
CREATE INDEX `shipments_next_sync_idx` ON `shipments` (`next_sync_at`);--> statement-breakpoint
CREATE TABLE `stores` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`branding` text NOT NULL,
	`settings` text NOT NULL,
	`webhook_secret_enc` text,
	`easypost_key_enc` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stores_slug_unique` ON `stores` (`slug`);--> statement-breakpoint
CREATE TABLE `tracking_events` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`shipment_id` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`status` text NOT NULL,
	`status_detail` text,
	`message` text NOT NULL,
	`city` text,
	`state` text,
	`country` text,
	`postal_code` text,
	`dedupe_key` text NOT NULL,
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tracking_events_dedupe_idx` ON `tracking_events` (`shipment_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `tracking_events_shipment_time_idx` ON `tracking_events` (`shipment_id`,`occurred_at`);