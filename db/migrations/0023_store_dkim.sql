ALTER TABLE `stores` ADD `dkim_domain` text;--> statement-breakpoint
ALTER TABLE `stores` ADD `dkim_selector` text;--> statement-breakpoint
ALTER TABLE `stores` ADD `dkim_key_enc` text;