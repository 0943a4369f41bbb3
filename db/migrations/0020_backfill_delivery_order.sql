-- Deliveries queued before webhook_deliveries.order_id existed (0017) belong to no order, so the
-- order's ledger did not list them. Their event names the order by number (data.orderNumber, every
-- order event has it); the number is the store's own, so store and number find the order. Test
-- events and events about no order stay without one.
UPDATE `webhook_deliveries`
SET `order_id` = (
  SELECT `o`.`id`
  FROM `events` `e`
  JOIN `orders` `o` ON `o`.`store_id` = `e`.`store_id` AND `o`.`number` = json_extract(`e`.`data`, '$.orderNumber')
  WHERE `e`.`id` = `webhook_deliveries`.`event_id` AND `e`.`store_id` = `webhook_deliveries`.`store_id`
  LIMIT 1
)
WHERE `order_id` IS NULL AND `type` <> 'webhook.test';
