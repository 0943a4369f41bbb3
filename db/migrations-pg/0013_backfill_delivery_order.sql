-- Deliveries queued before webhook_deliveries.order_id existed (0010) belong to no order, so the
-- order's ledger did not list them. Their event names the order by number (data.orderNumber, every
-- order event has it); the number is the store's own, so store and number find the order. Test
-- events and events about no order stay without one.
UPDATE "webhook_deliveries" AS "d"
SET "order_id" = "o"."id"
FROM "events" AS "e"
JOIN "orders" AS "o" ON "o"."store_id" = "e"."store_id" AND "o"."number" = "e"."data"->>'orderNumber'
WHERE "e"."id" = "d"."event_id" AND "e"."store_id" = "d"."store_id" AND "d"."order_id" IS NULL AND "d"."type" <> 'webhook.test';
