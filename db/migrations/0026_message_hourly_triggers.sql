-- The message ledger's hourly counts (message_hourly), kept by triggers so every insert, status
-- change and delete of a message moves them in the same statement, whatever code did it; then
-- filled once from the ledger as it is.
CREATE TRIGGER `messages_hourly_insert` AFTER INSERT ON `messages`
BEGIN
  INSERT INTO `message_hourly` (`store_id`, `hour`, `channel`, `kind`, `status`, `n`)
  VALUES (new.`store_id`, new.`created_at` / 3600000, new.`channel`, new.`kind`, new.`status`, 1)
  ON CONFLICT (`store_id`, `hour`, `channel`, `kind`, `status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `messages_hourly_update` AFTER UPDATE OF `status`, `channel`, `kind`, `created_at`, `store_id` ON `messages`
WHEN old.`status` IS NOT new.`status` OR old.`channel` IS NOT new.`channel` OR old.`kind` IS NOT new.`kind`
  OR old.`created_at` / 3600000 IS NOT new.`created_at` / 3600000 OR old.`store_id` IS NOT new.`store_id`
BEGIN
  UPDATE `message_hourly` SET `n` = `n` - 1
  WHERE `store_id` = old.`store_id` AND `hour` = old.`created_at` / 3600000 AND `channel` = old.`channel`
    AND `kind` = old.`kind` AND `status` = old.`status`;
  INSERT INTO `message_hourly` (`store_id`, `hour`, `channel`, `kind`, `status`, `n`)
  VALUES (new.`store_id`, new.`created_at` / 3600000, new.`channel`, new.`kind`, new.`status`, 1)
  ON CONFLICT (`store_id`, `hour`, `channel`, `kind`, `status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `messages_hourly_delete` AFTER DELETE ON `messages`
BEGIN
  UPDATE `message_hourly` SET `n` = `n` - 1
  WHERE `store_id` = old.`store_id` AND `hour` = old.`created_at` / 3600000 AND `channel` = old.`channel`
    AND `kind` = old.`kind` AND `status` = old.`status`;
END;
--> statement-breakpoint
INSERT INTO `message_hourly` (`store_id`, `hour`, `channel`, `kind`, `status`, `n`)
SELECT `store_id`, `created_at` / 3600000, `channel`, `kind`, `status`, count(*)
FROM `messages` GROUP BY `store_id`, `created_at` / 3600000, `channel`, `kind`, `status`;
